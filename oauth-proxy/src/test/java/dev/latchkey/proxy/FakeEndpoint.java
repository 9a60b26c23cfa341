package dev.latchkey.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small local HTTP server that stands in for one provider endpoint, answering in that provider's
 * recorded format and keeping the last request it received.
 */
final class FakeEndpoint implements AutoCloseable {

    /**
     * What the endpoint received, and from which client port: requests from one port came over one
     * kept-alive connection. Header names are lower-case.
     */
    record Received(String method, String path, Map<String, String> headers, String body, int clientPort) {
    }

    /** What it answers. A negative status means: never answer. */
    record Reply(int status, String contentType, String body) {
        static Reply json(int status, String body) {
            return new Reply(status, "application/json; charset=utf-8", body);
        }
    }

    /** Answers by writing to the exchange itself, for misbehaviour a {@link Reply} cannot express. */
    interface RawAnswer {
        void answer(Received received, HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private volatile Received last;

    private FakeEndpoint(RawAnswer answer) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            Received received = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRemoteAddress().getPort());
            last = received;
            answer.answer(received, exchange);
        });
        server.start();
    }

    static FakeEndpoint answering(Function<Received, Reply> answer) {
        return new FakeEndpoint((received, exchange) -> {
            Reply reply = answer.apply(received);
            if (reply.status() < 0) {
                sleepQuietly();
                return;
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            if (!reply.contentType().isEmpty()) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            }
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    static FakeEndpoint answeringRaw(RawAnswer answer) {
        return new FakeEndpoint(answer);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    Received last() {
        return last;
    }

    static void sleepQuietly() {
        try {
            Thread.sleep(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
