package dev.latchkey.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 that answers what a test tells it per path: the resource
 * server, metadata documents and authorization server a remote sign-in meets. It records the
 * requests it got (method, path, body), and answers 404 to any path it was not told.
 */
final class FakeSite implements AutoCloseable {

    /** One answer; {@code delayMillis} holds it back (a hanging endpoint). */
    record Answer(int status, Map<String, String> headers, String body, long delayMillis) {

        static Answer json(String body) {
            return new Answer(200, Map.of("Content-Type", "application/json"), body, 0);
        }

        static Answer status(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body, 0);
        }
    }

    /** What the site answers a request; it sees the method, the raw query and the body. */
    interface Route {
        Answer answer(String method, String query, String body);
    }

    /** A route that sees the whole exchange (headers in, headers out); it answers itself. */
    interface RawRoute {
        void answer(HttpExchange exchange, String body) throws IOException;
    }

    private final Map<String, RawRoute> raw = new ConcurrentHashMap<>();

    FakeSite onRaw(String path, RawRoute route) {
        raw.put(path, route);
        return this;
    }

    /** A request the site got. */
    record Heard(String method, String path, String query, String body, String authorization) {
    }

    private final HttpServer server;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    final List<Heard> heard = new CopyOnWriteArrayList<>();

    FakeSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    FakeSite on(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    FakeSite on(String path, Answer answer) {
        return on(path, (method, query, body) -> answer);
    }

    List<String> paths() {
        return heard.stream().map(Heard::path).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        heard.add(new Heard(exchange.getRequestMethod(), path, query, body,
                exchange.getRequestHeaders().getFirst("Authorization")));
        if (raw.containsKey(path)) {
            raw.get(path).answer(exchange, body);
            return;
        }
        Route route = routes.get(path);
        Answer answer = route == null ? Answer.status(404, "{\"error\":\"not_found\"}")
                : route.answer(exchange.getRequestMethod(), query, body);
        try {
            Thread.sleep(answer.delayMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        answer.headers().forEach(exchange.getResponseHeaders()::set);
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException ignored) {
            // the client gave up (a time-limit test)
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
