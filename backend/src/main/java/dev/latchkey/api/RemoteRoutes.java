package dev.latchkey.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.latchkey.install.Install;
import dev.latchkey.remote.RemoteAuthException;
import dev.latchkey.remote.RemoteInstalls;
import io.javalin.http.Context;
import java.net.URI;

/**
 * Remote MCP servers over HTTP: the answer of {@code POST /api/installs} for one (201, with where
 * to sign in when its server asks for a sign-in) and the one error body for a server that cannot
 * be signed in to ({@code 502 remote_server}, its sentence naming URLs and fields, never a token).
 */
final class RemoteRoutes {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreatedBody(@JsonUnwrapped Install install, URI authorizationUrl, URI signInUrl) {
    }

    private RemoteRoutes() {
    }

    static void created(Context ctx, SignInLinks links, RemoteInstalls.Started started) {
        URI authorization = started.authorizationUrl().orElse(null);
        ctx.status(201).header("Location", "/api/installs/" + started.install().id()).json(new CreatedBody(started.install(),
                authorization, authorization == null ? null : links.issue(ctx.req().getLocalPort(), authorization)));
    }

    static RemoteInstalls available(RemoteInstalls remotes) {
        if (remotes == null) {
            throw new ApiException(501, "not_implemented", "this launch has no remote servers");
        }
        return remotes;
    }

    static void refused(RemoteAuthException e, Context ctx) {
        ctx.status(502).json(new ApiError("remote_server", RemoteInstalls.sentence(e.getMessage())));
    }
}
