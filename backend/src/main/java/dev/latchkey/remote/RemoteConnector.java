package dev.latchkey.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.common.McpTransportContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Connects to a remote MCP server with the MCP Java SDK's client: Streamable HTTP first
 * ({@link HttpClientStreamableHttpTransport}), and when the server refuses its POST with 400, 404
 * or 405 the legacy HTTP+SSE transport, as MCP's "Backwards Compatibility" section says. Both
 * carry {@link BearerAuth}'s token; only Streamable HTTP answers a 401/403 with a sign-in (the
 * SDK's SSE transport has no such hook: it uses the token the first attempt got). Streamable HTTP
 * goes through {@link SessionTransport}: a session the server forgot is renewed under the call, and
 * an answer stream that ends without the answer ends the call with a sentence.
 */
public final class RemoteConnector {

    static final McpSchema.Implementation CLIENT = new McpSchema.Implementation("latchkey", "1.0");

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());

    /**
     * An initialized client of {@code server}.
     *
     * @param spec what the caller adds to the client (list-change consumers, for the gateway)
     */
    McpSyncClient connect(URI server, BearerAuth auth, Duration requestTimeout, UnaryOperator<McpClient.SyncSpec> spec) {
        AtomicReference<SessionTransport> session = new AtomicReference<>();
        HttpClientStreamableHttpTransport streamable = HttpClientStreamableHttpTransport.builder(Origins.origin(server))
                .clientBuilder(new StreamEnds(id -> session.get().ended(id))) // before connectTimeout, which sets it there
                .endpoint(pathAndQuery(server)).jsonMapper(json).connectTimeout(Duration.ofSeconds(10))
                .httpRequestCustomizer(auth).authorizationErrorHandler(auth.handler()).build();
        session.set(new SessionTransport(streamable, server.getRawAuthority()));
        McpSyncClient client = spec.apply(McpClient.sync(session.get()).clientInfo(CLIENT)
                .requestTimeout(requestTimeout).initializationTimeout(requestTimeout)).build();
        try {
            client.initialize();
            return client;
        } catch (RuntimeException e) {
            client.closeGracefully();
            if (RemoteFailure.authCause(e).isPresent() || !RemoteFailure.oldServer(e) || !opensEventStream(server, auth)) {
                throw e;
            }
        }
        HttpClientSseClientTransport sse = HttpClientSseClientTransport.builder(Origins.origin(server))
                .sseEndpoint(pathAndQuery(server)).jsonMapper(json).connectTimeout(Duration.ofSeconds(10))
                .httpRequestCustomizer(auth).build();
        McpSyncClient legacy = spec.apply(McpClient.sync(sse).clientInfo(CLIENT)
                .requestTimeout(requestTimeout).initializationTimeout(requestTimeout)).build();
        try {
            legacy.initialize();
            return legacy;
        } catch (RuntimeException e) {
            legacy.closeGracefully();
            throw e;
        }
    }

    /**
     * Whether a GET of the URL opens an event stream, as an HTTP+SSE server's does: asked before
     * the SDK's SSE transport is started, which would wait out its whole time limit on a 404.
     */
    private static boolean opensEventStream(URI server, BearerAuth auth) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server).timeout(Duration.ofSeconds(10)).GET()
                .header("Accept", "text/event-stream");
        auth.customize(request, "GET", server, null, McpTransportContext.EMPTY);
        try {
            HttpResponse<InputStream> response = PROBE.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode() == 200
                    && response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String pathAndQuery(URI server) {
        String path = server.getRawPath() == null || server.getRawPath().isEmpty() ? "/" : server.getRawPath();
        return server.getRawQuery() == null ? path : path + "?" + server.getRawQuery();
    }
}
