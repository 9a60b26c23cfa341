package dev.latchkey.api;

import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallRefusedException.Reason;
import dev.latchkey.install.InstallService;
import dev.latchkey.runtime.McpRuntime;
import dev.latchkey.sandbox.SandboxSupport;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starting, stopping and restarting an install's server, its tools, and its log (last lines and
 * live); and how servers are sandboxed here ({@code GET /api/sandbox}).
 */
final class RuntimeRoutes {

    /** How many log lines {@code GET …/runtime} answers unless {@code ?lines=} says otherwise. */
    static final int DEFAULT_LINES = 200;

    private RuntimeRoutes() {
    }

    static void register(RoutesConfig routes, McpRuntime runtime, InstallService installs, EventRoutes events) {
        routes.post("/api/installs/{id}/start", ctx -> accepted(ctx, installs, runtime.start(ctx.pathParam("id"))));
        routes.post("/api/installs/{id}/stop", ctx -> accepted(ctx, installs, runtime.stop(ctx.pathParam("id"))));
        routes.post("/api/installs/{id}/restart", ctx -> accepted(ctx, installs, runtime.restart(ctx.pathParam("id"))));
        routes.get("/api/installs/{id}/runtime", ctx -> {
            String id = ctx.pathParam("id");
            List<String> log = runtime.log(id, lines(ctx));
            List<Map<String, String>> tools = runtime.find(id).map(server -> server.tools().stream()
                    .map(tool -> Map.of("name", tool.name(), "description", tool.description() == null ? "" : tool.description()))
                    .toList()).orElse(List.of());
            ctx.json(Map.of("tools", tools, "log", log));
        });
        routes.get("/api/sandbox", ctx -> {
            SandboxSupport support = runtime.sandbox().support();
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("available", support.available());
            body.put("problem", support.problem());
            body.put("required", runtime.sandbox().required());
            body.put("memoryLimitMb", runtime.sandbox().limits().memoryMegabytes());
            body.put("taskLimit", runtime.sandbox().limits().tasks());
            ctx.json(body);
        });
        events.registerLog(routes, runtime);
    }

    /** 202: the change goes on in the background; the install's status events tell how. */
    private static void accepted(Context ctx, InstallService installs, CompletableFuture<Void> change) {
        String id = ctx.pathParam("id");
        ctx.status(202).json(installs.find(id).orElseThrow(() ->
                new InstallRefusedException(Reason.NOT_FOUND, "no install has the id \"" + id + "\"")));
    }

    private static int lines(Context ctx) {
        String text = ctx.queryParam("lines");
        if (text == null) {
            return DEFAULT_LINES;
        }
        try {
            int lines = Integer.parseInt(text);
            if (lines >= 0 && lines <= 500) {
                return lines;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "bad_request", "lines: expected 0 to 500, got \"" + text + "\"");
    }
}
