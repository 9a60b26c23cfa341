package dev.latchkey.api;

import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallService;
import dev.latchkey.oauth.OAuthService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** Installing, listing and uninstalling servers. */
final class InstallRoutes {

    /** The body of {@code POST /api/installs}, as sent; parsed into an {@link InstallRequest}. */
    record InstallBody(String catalogName, Map<String, Object> userConfig, String auth) {
    }

    private InstallRoutes() {
    }

    static void register(RoutesConfig routes, InstallService installs, OAuthService oauth) {
        routes.get("/api/installs", ctx -> ctx.json(Map.of("installs", installs.list())));
        routes.get("/api/installs/{id}", ctx -> ctx.json(installs.get(ctx.pathParam("id"))));
        routes.post("/api/installs", ctx -> {
            InstallRequest request = parse(ctx);
            if (request.auth() == AuthMethod.OAUTH) {
                OAuthRoutes.created(ctx, oauth.install(request));
            } else {
                created(ctx, installs.install(request));
            }
        });
        routes.delete("/api/installs/{id}", ctx -> {
            // OAuth revokes before the delete, while the tokens are still there; then it uninstalls.
            oauth.uninstall(ctx.pathParam("id"));
            ctx.status(204);
        });
    }

    private static InstallRequest parse(Context ctx) {
        InstallBody body = ctx.bodyAsClass(InstallBody.class);
        if (body == null) {
            throw new ApiException(400, "bad_request", "the body must be a JSON object");
        }
        try {
            return new InstallRequest(body.catalogName(), body.userConfig(),
                    AuthMethod.parse(body.auth() == null ? "none" : body.auth()));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_request", e.getMessage());
        }
    }

    private static void created(Context ctx, Install install) {
        ctx.status(201).header("Location", "/api/installs/" + install.id()).json(install);
    }
}
