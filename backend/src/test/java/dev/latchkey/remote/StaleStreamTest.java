package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.spec.HttpHeaders;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote transport's HTTP client ({@link StreamEnds}) against a real HTTP server that made
 * session {@code new} and knows no other: a late event-stream reconnect of the session it forgot
 * must not look, to the SDK, like the live session being forgotten (the SDK would replace the live
 * session and drop its calls under way). The live session's own 404s, and a POST's, reach it as sent.
 */
class StaleStreamTest {

    private HttpServer server;
    private HttpClient client;
    private URI mcp;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mcp", exchange -> {
            if ("POST".equals(exchange.getRequestMethod())
                    && exchange.getRequestHeaders().getFirst(HttpHeaders.MCP_SESSION_ID) == null) {
                exchange.getResponseHeaders().add(HttpHeaders.MCP_SESSION_ID, "new");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{}}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(404, -1); // no stream, no session but the one it made
            }
            exchange.close();
        });
        server.start();
        mcp = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
        client = new StreamEnds(id -> { }).build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void a_stream_of_a_replaced_session_meets_405_and_the_live_sessions_404_passes() throws Exception {
        assertThat(statusSeen("GET", "old")).as("no session made yet: the 404 is the session's own").isEqualTo(404);

        assertThat(statusSeen("POST", null)).as("initialize: the server names session new").isEqualTo(200);

        assertThat(statusSeen("GET", "old")).as("a reconnect of the forgotten session").isEqualTo(405);
        assertThat(statusSeen("GET", "new")).as("the live session's own stream").isEqualTo(404);
        assertThat(statusSeen("POST", "old")).as("a call on the forgotten session, which the transport renews").isEqualTo(404);
    }

    /** The status the SDK's body handler is given for a request with {@code session} (or none). */
    private int statusSeen(String method, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp);
        if (session != null) {
            request.header(HttpHeaders.MCP_SESSION_ID, session);
        }
        request.method(method, "POST".equals(method)
                ? HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"initialize\"}")
                : HttpRequest.BodyPublishers.noBody());
        AtomicInteger seen = new AtomicInteger();
        client.sendAsync(request.build(), info -> {
            seen.set(info.statusCode());
            return HttpResponse.BodySubscribers.discarding();
        }).join();
        return seen.get();
    }
}
