package dev.latchkey.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The least a Streamable HTTP client does for a call: one POST with the JSON-RPC message on a
 * kept-alive HTTP/1.1 connection, reading the answer whole. No client library in between, so a
 * call's time is the gateway's (and the server's), not a library's. Benchmark use only.
 */
final class PlainCaller {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpRequest.Builder base;
    private long nextId = 1;

    /** Opens a session: initialize, then the initialized notification, as every client does. */
    PlainCaller(String mcpUrl, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mcpUrl))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        HttpResponse<String> initialized = send(request.copy().POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)));
        base = request.header("Mcp-Session-Id", initialized.headers().firstValue("Mcp-Session-Id").orElseThrow(() ->
                new IllegalStateException("the gateway answered initialize without a session: " + initialized.body())));
        send(base.copy().POST(HttpRequest.BodyPublishers.ofString(
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")));
    }

    /** Calls {@code everything__echo}; fails unless the echo comes back. */
    synchronized void echo(String message) {
        long id = nextId++;
        String body = send(base.copy().POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":" + id
                + ",\"method\":\"tools/call\",\"params\":{\"name\":\"everything__echo\",\"arguments\":{\"message\":\""
                + message + "\"}}}"))).body();
        if (!body.contains("\"id\":" + id + ",") || !body.contains("Echo: " + message)) {
            throw new IllegalStateException("not the echo: " + body);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
