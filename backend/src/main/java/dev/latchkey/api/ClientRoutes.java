package dev.latchkey.api;

import dev.latchkey.gateway.ClientApp;
import dev.latchkey.gateway.ClientConnector;
import dev.latchkey.gateway.ClientRefusedException;
import dev.latchkey.gateway.ClientService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's clients: made (the token answered once), listed, limited to some installs,
 * revoked; and "Connect a client" for the client programs Latchkey knows ({@link ClientApp}).
 */
final class ClientRoutes {

    /** The body of {@code POST /api/clients}: a name and, optionally, the only installs it may use. */
    record NewClientBody(String name, List<String> installs) {
    }

    /** The body of {@code PUT /api/clients/{id}/installs}: null = every install. */
    record InstallsBody(List<String> installs) {
    }

    private ClientRoutes() {
    }

    static void register(RoutesConfig routes, ClientService clients, ClientConnector connector) {
        routes.get("/api/clients", ctx -> ctx.json(Map.of("clients", clients.list())));
        routes.post("/api/clients", ctx -> {
            NewClientBody body = body(ctx, NewClientBody.class);
            ClientService.IssuedClient issued = clients.create(body.name(), null, ids(body.installs()));
            ctx.status(201).header("Location", "/api/clients/" + issued.client().id())
                    .json(Map.of("client", issued.client(), "token", issued.token()));
        });
        routes.put("/api/clients/{id}/installs", ctx ->
                ctx.json(clients.limit(ctx.pathParam("id"), ids(body(ctx, InstallsBody.class).installs()))));
        routes.delete("/api/clients/{id}", ctx -> ctx.json(clients.revoke(ctx.pathParam("id"))));
        routes.get("/api/client-apps", ctx -> ctx.json(Map.of("apps",
                Arrays.stream(ClientApp.values()).map(connector::preview).toList())));
        routes.post("/api/client-apps/{app}", ctx -> ctx.json(connector.connect(app(ctx))));
        routes.delete("/api/client-apps/{app}", ctx -> ctx.json(connector.undo(app(ctx))));
        routes.exception(ClientRefusedException.class, (e, ctx) -> {
            switch (e.reason()) {
                case INVALID -> ctx.status(400).json(new ApiError("bad_request", e.getMessage(), e.field()));
                case NOT_FOUND -> ctx.status(404).json(new ApiError("not_found", e.getMessage()));
            }
        });
    }

    private static ClientApp app(Context ctx) {
        return ClientApp.byId(ctx.pathParam("app")).orElseThrow(() -> new ApiException(404, "not_found",
                "Latchkey cannot connect \"" + ctx.pathParam("app") + "\"; it knows "
                        + Arrays.stream(ClientApp.values()).map(ClientApp::id).toList()));
    }

    private static <T> T body(Context ctx, Class<T> type) {
        T body = ctx.bodyAsClass(type);
        if (body == null) {
            throw new ApiException(400, "bad_request", "the body must be a JSON object");
        }
        return body;
    }

    private static Set<String> ids(List<String> installs) {
        return installs == null ? null : new LinkedHashSet<>(installs);
    }
}
