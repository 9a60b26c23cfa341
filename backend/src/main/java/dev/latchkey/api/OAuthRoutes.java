package dev.latchkey.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.latchkey.install.Install;
import dev.latchkey.oauth.CallbackOutcome;
import dev.latchkey.oauth.OAuthRefusedException;
import dev.latchkey.oauth.OAuthService;
import dev.latchkey.remote.RemoteInstalls;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OAuth over HTTP: the one-time sign-in link, the loopback callback the provider (or the proxy's
 * relay page) sends the browser to, Reconnect, and whether the proxy can serve the catalog's providers.
 *
 * <p>{@code GET /oauth/go/<opaque>} and {@code GET /oauth/callback} are outside {@code /api}: the
 * system browser that arrives there holds no session cookie, so the single-use link, and then the
 * flow's single-use state, is what authenticates it (the Host check still applies, as to every
 * request).
 */
final class OAuthRoutes {

    /**
     * An install whose sign-in waits at {@code authorizationUrl}; {@code signInUrl} is the one-time
     * loopback link to it ({@link SignInLinks}), the one to open.
     */
    record StartedBody(@JsonUnwrapped Install install, URI authorizationUrl, URI signInUrl) {

        static StartedBody of(Context ctx, SignInLinks links, OAuthService.Started started) {
            return new StartedBody(started.install(), started.authorizationUrl(),
                    links.issue(ctx.req().getLocalPort(), started.authorizationUrl()));
        }
    }

    private OAuthRoutes() {
    }

    static void register(RoutesConfig routes, OAuthService oauth, SignInLinks links, RemoteInstalls remotes) {
        routes.get("/oauth/go/{link}", ctx -> go(ctx, links));
        routes.get("/oauth/callback", ctx -> page(ctx, oauth.callback(query(ctx))));
        routes.post("/api/installs/{id}/reconnect", ctx -> {
            if (remotes != null && remotes.isRemote(ctx.pathParam("id"))) {
                RemoteInstalls.Started started = remotes.reconnect(ctx.pathParam("id"));
                URI url = started.authorizationUrl().orElseThrow();
                ctx.json(new StartedBody(started.install(), url, links.issue(ctx.req().getLocalPort(), url)));
            } else {
                ctx.json(StartedBody.of(ctx, links, oauth.reconnect(ctx.pathParam("id"))));
            }
        });
        routes.get("/api/oauth", ctx -> ctx.json(oauth.proxyStatus()));
    }

    /** {@code POST /api/installs} with {@code "auth": "oauth"}: 201 with the install and where to sign in. */
    static void created(Context ctx, SignInLinks links, OAuthService.Started started) {
        ctx.status(201).header("Location", "/api/installs/" + started.install().id())
                .json(StartedBody.of(ctx, links, started));
    }

    /** {@code GET /oauth/go/<opaque>}: 303 to the authorization URL, once; else a page saying why not. */
    private static void go(Context ctx, SignInLinks links) {
        Optional<URI> target = links.take(ctx.pathParam("link"));
        if (target.isPresent()) {
            ctx.redirect(target.get().toString(), HttpStatus.SEE_OTHER);
        } else {
            page(ctx, new CallbackOutcome.Failed(404, "This sign-in link cannot be used",
                    "It was used already or has expired (a link lasts " + SignInLinks.LIFETIME.toMinutes()
                            + " minutes). Go back to Latchkey and choose Start sign-in again."));
        }
    }

    /** The one error body for a flow that cannot start. */
    static void refused(OAuthRefusedException e, Context ctx) {
        switch (e.reason()) {
            case UNKNOWN_PROVIDER -> ctx.status(400).json(new ApiError("unknown_provider", e.getMessage()));
            case PROVIDER_NOT_CONFIGURED -> ctx.status(409).json(new ApiError("provider_not_configured", e.getMessage()));
            case PROXY_UNAVAILABLE -> ctx.status(503).json(new ApiError("proxy_unavailable", e.getMessage()));
            case NOT_OAUTH -> ctx.status(400).json(new ApiError("not_oauth", e.getMessage()));
        }
    }

    /** The first value of each parameter; a repeated one counts as missing, so it fails the flow. */
    private static Map<String, String> query(Context ctx) {
        Map<String, String> query = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((name, values) -> {
            if (values.size() == 1) {
                query.put(name, values.get(0));
            }
        });
        return query;
    }

    private static void page(Context ctx, CallbackOutcome outcome) {
        String title;
        String message;
        if (outcome instanceof CallbackOutcome.Connected connected) {
            ctx.status(200);
            title = "Connected";
            message = connected.install().displayName() + " is connected"
                    + (connected.accountLabel() == null ? "" : " as " + connected.accountLabel())
                    + ". You can close this tab and go back to Latchkey.";
        } else {
            CallbackOutcome.Failed failed = (CallbackOutcome.Failed) outcome;
            ctx.status(failed.status());
            title = failed.title();
            message = failed.message();
        }
        ctx.contentType("text/html; charset=utf-8").result("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%s · Latchkey</title></head>
                <body><main><h1 data-testid="callback-title">%s</h1><p data-testid="callback-message">%s</p></main></body></html>
                """.formatted(escape(title), escape(title), escape(message)));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
