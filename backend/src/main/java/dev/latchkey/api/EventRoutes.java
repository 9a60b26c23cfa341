package dev.latchkey.api;

import dev.latchkey.install.InstallEvent;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.runtime.McpRuntime;
import io.javalin.config.RoutesConfig;
import io.javalin.http.sse.SseClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The UI's live streams, as server-sent events: install changes, and one install's server log. */
final class EventRoutes implements AutoCloseable {

    private static final long PING_SECONDS = 15;

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "latchkey-sse-ping");
        thread.setDaemon(true);
        return thread;
    });

    EventRoutes() {
        // Idle streams are closed by timers along the way unless something passes now and then.
        pinger.scheduleAtFixedRate(() -> clients.forEach(client -> client.sendComment("ping")),
                PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
    }

    void register(RoutesConfig routes, InstallEvents events) {
        routes.sse("/api/events", client -> {
            client.keepAlive();
            client.sendEvent("hello", Map.of());
            Runnable unsubscribe = events.subscribe(event -> send(client, event));
            clients.add(client);
            client.onClose(() -> {
                clients.remove(client);
                unsubscribe.run();
            });
        });
    }

    /** An install's server log, live: {@code event: line}, {@code data:} the line as a JSON string. */
    void registerLog(RoutesConfig routes, McpRuntime runtime) {
        routes.sse("/api/installs/{id}/log", client -> {
            client.keepAlive();
            Runnable unsubscribe = runtime.followLog(client.ctx().pathParam("id"), line -> client.sendEvent("line", line));
            client.sendEvent("hello", Map.of());
            clients.add(client);
            client.onClose(() -> {
                clients.remove(client);
                unsubscribe.run();
            });
        });
    }

    private static void send(SseClient client, InstallEvent event) {
        if (event instanceof InstallEvent.Changed changed) {
            client.sendEvent("install", changed.install());
        } else if (event instanceof InstallEvent.Removed removed) {
            client.sendEvent("install-removed", Map.of("id", removed.id()));
        }
    }

    @Override
    public void close() {
        pinger.shutdownNow();
        clients.forEach(SseClient::close);
    }
}
