package dev.latchkey.api;

import dev.latchkey.catalog.CatalogServer;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallService;
import dev.latchkey.oauth.OAuthService;
import dev.latchkey.login.BrowserConnections;
import dev.latchkey.remote.RemoteInstalls;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Installing, listing and uninstalling servers; signing in again, switching to browser login or OAuth, and
 * checking a browser session now.
 */
final class InstallRoutes {

    /**
     * The body of {@code POST /api/installs}, as sent: a catalog server (parsed into an
     * {@link InstallRequest}; {@code network} is on unless false) or a remote server by its URL.
     */
    record InstallBody(String catalogName, Map<String, Object> userConfig, String auth, Object network,
            String remoteUrl, String displayName) {
    }

    /** The body of {@code POST /api/installs/{id}/switch}. */
    record SwitchBody(String auth) {
    }

    private InstallRoutes() {
    }

    /** @param logins browser-login connections, or null when this launch cannot open a login window */
    static void register(RoutesConfig routes, InstallService installs, OAuthService oauth, SignInLinks links,
            BrowserConnections logins, RemoteInstalls remotes) {
        routes.get("/api/installs", ctx -> ctx.json(Map.of("installs", installs.list())));
        routes.get("/api/installs/{id}", ctx -> ctx.json(installs.get(ctx.pathParam("id"))));
        routes.post("/api/installs", ctx -> {
            InstallBody body = body(ctx);
            if (body.remoteUrl() != null) {
                RemoteRoutes.created(ctx, links, RemoteRoutes.available(remotes).installByUrl(body.remoteUrl(), body.displayName()));
                return;
            }
            InstallRequest request = parse(body);
            CatalogServer server = request.auth() == AuthMethod.NONE ? installs.check(request) : null;
            if (server != null && server.server().isRemote()) {
                RemoteRoutes.created(ctx, links, RemoteRoutes.available(remotes).install(request, server));
            } else if (request.auth() == AuthMethod.OAUTH) {
                OAuthRoutes.created(ctx, links, oauth.install(request));
            } else {
                created(ctx, request.auth() == AuthMethod.BROWSER ? logins(logins).install(request) : installs.install(request));
            }
        });
        routes.post("/api/installs/{id}/session-check", ctx -> ctx.json(logins(logins).checkSession(ctx.pathParam("id"))));
        routes.post("/api/installs/{id}/relogin", ctx -> ctx.status(202).json(logins(logins).relogin(ctx.pathParam("id"))));
        routes.post("/api/installs/{id}/switch", ctx -> {
            SwitchBody body = ctx.bodyAsClass(SwitchBody.class);
            if (body != null && "oauth".equals(body.auth())) {
                ctx.status(202).json(OAuthRoutes.StartedBody.of(ctx, links, oauth.switchToOAuth(ctx.pathParam("id"))));
                return;
            }
            if (body == null || !"browser".equals(body.auth())) {
                throw new ApiException(400, "bad_request", "auth: an install switches to \"browser\" or \"oauth\", got "
                        + (body == null || body.auth() == null ? "nothing" : "\"" + body.auth() + "\""));
            }
            ctx.status(202).json(logins(logins).switchToBrowser(ctx.pathParam("id")));
        });
        routes.delete("/api/installs/{id}/sign-in", ctx -> {
            logins(logins).cancel(ctx.pathParam("id"));
            ctx.status(204);
        });
        routes.delete("/api/installs/{id}", ctx -> {
            // OAuth revokes before the delete, while the tokens are still there; then it uninstalls.
            if (remotes != null) {
                remotes.revokeIfRemote(ctx.pathParam("id"));
            }
            oauth.uninstall(ctx.pathParam("id"));
            ctx.status(204);
        });
    }

    private static BrowserConnections logins(BrowserConnections logins) {
        if (logins == null) {
            throw new ApiException(501, "not_implemented",
                    "browser login needs a login window, and this launch has none (start Latchkey with ./latchkey)");
        }
        return logins;
    }

    private static InstallBody body(Context ctx) {
        InstallBody body = ctx.bodyAsClass(InstallBody.class);
        if (body == null) {
            throw new ApiException(400, "bad_request", "the body must be a JSON object");
        }
        if (body.network() != null && !(body.network() instanceof Boolean)) {
            throw new ApiException(400, "bad_request", "network: expected true or false, got " + body.network());
        }
        return body;
    }

    private static InstallRequest parse(InstallBody body) {
        try {
            return new InstallRequest(body.catalogName(), body.userConfig(),
                    AuthMethod.parse(body.auth() == null ? "none" : body.auth()), !Boolean.FALSE.equals(body.network()));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_request", e.getMessage());
        }
    }

    private static void created(Context ctx, Install install) {
        ctx.status(201).header("Location", "/api/installs/" + install.id()).json(install);
    }
}
