package dev.latchkey.remote;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A resource server for tests: it lets a request through to a real MCP server (server-everything
 * over Streamable HTTP) only with one of the bearer tokens its authorization server issued, and
 * answers anything else 401 with the {@code resource_metadata} challenge (RFC 9728 §5.1). POSTs
 * are relayed whole (their event stream ends with the answer); a GET for the server's own stream
 * is refused with 405, as the transport allows.
 */
final class GuardedRelay implements FakeSite.RawRoute {

    private final URI upstream;
    private final Supplier<Set<String>> issued;
    private final URI resourceMetadata;
    private final HttpClient http = HttpClient.newHttpClient();

    GuardedRelay(URI upstream, Supplier<Set<String>> issued, URI resourceMetadata) {
        this.upstream = upstream;
        this.issued = issued;
        this.resourceMetadata = resourceMetadata;
    }

    @Override
    public void answer(HttpExchange exchange, String body) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        if (token == null || !issued.get().contains(token)) {
            exchange.getResponseHeaders().set("WWW-Authenticate",
                    "Bearer error=\"invalid_token\", resource_metadata=\"" + resourceMetadata + "\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream");
        for (String name : new String[] {"Mcp-Session-Id", "MCP-Protocol-Version"}) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        try {
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            for (String name : new String[] {"Content-Type", "Mcp-Session-Id"}) {
                answer.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
            }
            byte[] bytes = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
            exchange.close();
        }
    }
}
