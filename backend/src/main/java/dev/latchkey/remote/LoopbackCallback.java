package dev.latchkey.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The redirect listener of {@code latchkey remote-check}, which runs without the app: a loopback
 * HTTP server on {@code 127.0.0.1} and a port of the system's choosing (RFC 8252 §7.3), path
 * {@code /oauth/callback}, each state good for one callback. (The app signs in at its own
 * {@code /oauth/callback}, with the state in {@code pending_oauth_flows}.)
 */
final class LoopbackCallback implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, CompletableFuture<Map<String, String>>> waiting = new ConcurrentHashMap<>();

    LoopbackCallback() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/oauth/callback", this::callback);
        server.start();
    }

    URI redirectUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/callback");
    }

    /** Waits for the callback with {@code state}, which is forgotten once it came or the wait is over. */
    Map<String, String> await(String state, Duration timeout) {
        CompletableFuture<Map<String, String>> future = waiting.computeIfAbsent(state, s -> new CompletableFuture<>());
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE,
                    "nobody came back from the sign-in within " + timeout.toMinutes() + " minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE, "the sign-in wait was interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a callback future only completes normally", e);
        } finally {
            waiting.remove(state);
        }
    }

    /** Registers {@code state} before the browser is sent off, so an early callback is not lost. */
    void expect(String state) {
        waiting.computeIfAbsent(state, s -> new CompletableFuture<>());
    }

    private void callback(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        CompletableFuture<Map<String, String>> future = query.containsKey("state") ? waiting.get(query.get("state")) : null;
        boolean taken = future != null && future.complete(query);
        byte[] page = (taken ? "Signed in. You can close this tab." : "This sign-in link is not valid: it was used already "
                + "or does not belong to a sign-in this Latchkey started.").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(taken ? 200 : 400, page.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
        }
    }

    /** The first value of each parameter; a repeated one counts as missing. */
    static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (counts.merge(name, 1, Integer::sum) == 1) {
                    values.put(name, value);
                } else {
                    values.remove(name);
                }
            }
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
