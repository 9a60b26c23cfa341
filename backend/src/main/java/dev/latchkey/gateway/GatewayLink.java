package dev.latchkey.gateway;

import dev.latchkey.AppConfig;
import dev.latchkey.gateway.StdioBridge.Endpoint;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The stdio bridge's connection to the app's gateway, made again when the app restarts (on a new
 * port, with a new bridge token): where the gateway is comes from {@code endpoints} (the data
 * directory's {@code gateway.json}), read again every second and whenever a request finds nobody
 * at the old address. A request that never reached the app (refused connection, unknown session,
 * refused token) is sent once more on the new connection; one that may have reached it is not, so
 * a tool call never runs twice. A token the gateway refuses on a fresh connection too is final:
 * the link fails with {@link TokenRefusedException} at the start, and tells {@code refused} later
 * (the client was removed while the bridge ran), so the bridge ends instead of failing every call.
 */
final class GatewayLink implements AutoCloseable {

    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    /** The app holds each call to its own --tool-call-timeout; the bridge waits as long as the longest allowed. */
    private static final Duration CALL_LIMIT = AppConfig.MAX_TOOL_CALL_TIMEOUT;
    private static final Duration HELLO_LIMIT = Duration.ofSeconds(20);

    private record Connection(Endpoint endpoint, McpSyncClient client) {
    }

    private final Supplier<Optional<Endpoint>> endpoints;
    private final Consumer<List<Tool>> toolsChanged;
    private final Runnable refused;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "latchkey-mcp-gateway-check");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Connection current;

    /**
     * Connects to where {@code endpoints} says the gateway is, failing at once when it names none,
     * or the gateway does not answer, or refuses the token ({@link TokenRefusedException}); {@code refused}
     * is told when the gateway refuses it later, on a fresh connection too.
     */
    GatewayLink(Supplier<Optional<Endpoint>> endpoints, Consumer<List<Tool>> toolsChanged, Runnable refused) {
        this.endpoints = endpoints;
        this.toolsChanged = toolsChanged;
        this.refused = refused;
        Endpoint first = endpoints.get().orElseThrow(() -> new IllegalStateException("no gateway to connect to"));
        try {
            current = connect(first);
        } catch (RuntimeException e) {
            throw refusal(e) ? new TokenRefusedException(e) : e;
        }
        watcher.scheduleWithFixedDelay(this::follow, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The gateway's client now (for what it offered at the start: capabilities, prompts, resources). */
    McpSyncClient client() {
        return current.client();
    }

    /** Sends {@code request} to the gateway; once more on a new connection if it never reached the app. */
    <T> T request(Function<McpSyncClient, T> request) {
        Connection used = current;
        try {
            return request.apply(used.client());
        } catch (RuntimeException e) {
            if (!neverArrived(e) || !reconnect(used)) {
                throw e;
            }
            return request.apply(current.client());
        }
    }

    /** The watcher's step: a gateway file that names another address or token means the app restarted. */
    private void follow() {
        Connection used = current;
        try {
            Optional<Endpoint> now = endpoints.get();
            if (now.isPresent() && !now.get().equals(used.endpoint())) {
                reconnect(used);
            }
        } catch (RuntimeException e) {
            // a half-written or unreadable file: read again at the next check
        }
    }

    /**
     * Replaces {@code stale} with a connection to where the gateway is now, and hands its tools on;
     * false when the app names no gateway yet or does not answer there.
     */
    private synchronized boolean reconnect(Connection stale) {
        if (current != stale) {
            return true;
        }
        Optional<Endpoint> now = endpoints.get();
        if (now.isEmpty()) {
            return false;
        }
        Connection fresh;
        try {
            fresh = connect(now.get());
        } catch (RuntimeException e) {
            if (refusal(e) && now.equals(endpoints.get())) {
                refused.run(); // the token of where the gateway is now, refused on a new connection: final
            }
            return false;
        }
        current = fresh;
        stale.client().close();
        toolsChanged.accept(fresh.client().listTools().tools());
        return true;
    }

    private Connection connect(Endpoint endpoint) {
        McpSyncClient[] self = new McpSyncClient[1];
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(endpoint.url().resolve("/").toString())
                        .endpoint(endpoint.url().getPath())
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + endpoint.token()))
                        .build())
                .clientInfo(new McpSchema.Implementation("latchkey-mcp", "0.1.0"))
                .requestTimeout(CALL_LIMIT)
                .initializationTimeout(HELLO_LIMIT)
                .toolsChangeConsumer(tools -> {
                    Connection now = current;
                    if (now != null && now.client() == self[0]) {
                        toolsChanged.accept(tools);
                    }
                })
                .build();
        self[0] = client;
        try {
            client.initialize();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new Connection(endpoint, client);
    }

    /** Whether a failed request is known not to have reached the app: it may be sent again. */
    static boolean neverArrived(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof McpTransportSessionNotFoundException) {
                return true;
            }
        }
        return refusal(failure);
    }

    /** Whether the gateway refused the token (the SDK's authorization failure, or an HTTP 401 named). */
    static boolean refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof McpHttpClientTransportAuthorizationException
                    || cause.getMessage() != null && cause.getMessage().contains("401")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        current.client().close();
    }
}
