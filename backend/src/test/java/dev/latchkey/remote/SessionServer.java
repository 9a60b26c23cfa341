package dev.latchkey.remote;

import dev.latchkey.api.ReadAgain;
import io.javalin.Javalin;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * A real MCP server on the MCP Java SDK's Streamable HTTP servlet transport, in Jetty on a free
 * loopback port, for what remote servers do to a client: {@link #forgetSessions} drops every
 * session as a restarted server does (the SDK's transport then answers 404 to the old
 * {@code Mcp-Session-Id}); the tool {@code hang_up} gets a response stream that ends with no answer
 * in it, and {@code drop} one whose connection is cut halfway through an event; a {@link Guard} sees each request first (a bearer check with scopes), and {@link #documents}
 * are served at {@code /.well-known/} paths. Its tools: {@code echo} (its {@code message} back),
 * {@code hang_up} and {@code drop}.
 */
final class SessionServer implements AutoCloseable {

    /** Answers a request itself (and returns false) or lets it through to the MCP server. */
    interface Guard {
        Guard OPEN = (request, body, response) -> true;

        boolean pass(HttpServletRequest request, String body, HttpServletResponse response) throws IOException;
    }

    final AtomicInteger initializes = new AtomicInteger();
    /** Documents served at {@code /.well-known/…} paths of the server's own origin (its resource metadata). */
    final Map<String, String> documents = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger hangUps = new AtomicInteger();
    private final Guard guard;
    private final HttpServlet front;
    private final HttpServlet wellKnown;
    private volatile Javalin app;
    private volatile HttpServletStreamableServerTransportProvider transport;
    private volatile McpSyncServer server;

    SessionServer(Guard guard) {
        this.guard = guard;
        renew();
        HttpServlet front = new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                answer(request, response);
            }
        };
        HttpServlet wellKnown = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String document = documents.get(request.getRequestURI());
                response.setStatus(document == null ? 404 : 200);
                response.setContentType("application/json");
                response.getWriter().write(document == null ? "{}" : document);
            }
        };
        this.front = front;
        this.wellKnown = wellKnown;
        app = listen(0);
    }

    private Javalin listen(int port) {
        return Javalin.create(config -> config.jetty.modifyServletContextHandler(handler -> {
            ServletHolder holder = new ServletHolder(front);
            holder.setAsyncSupported(true);
            handler.addServlet(holder, "/mcp");
            handler.addServlet(new ServletHolder(wellKnown), "/.well-known/*");
        })).start("127.0.0.1", port);
    }

    /** Restarts on the same port: every connection, the client's event stream too, is cut, and every session forgotten. */
    void restart() {
        int port = app.port();
        app.stop();
        forgetSessions();
        app = listen(port);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + app.port() + "/mcp");
    }

    /** Forgets every session, as a server restarted (or one that expires idle sessions) does. */
    void forgetSessions() {
        McpSyncServer old = server;
        renew();
        old.close();
    }

    private void renew() {
        HttpServletStreamableServerTransportProvider fresh = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp").build();
        McpSchema.Tool echo = McpSchema.Tool.builder().name("echo").description("Says the message back")
                .inputSchema(McpJsonDefaults.getMapper(), "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}")
                .build();
        McpSchema.Tool hangUp = McpSchema.Tool.builder().name("hang_up").description("Never answers: the stream ends")
                .inputSchema(McpJsonDefaults.getMapper(), "{\"type\":\"object\"}").build();
        McpSchema.Tool drop = McpSchema.Tool.builder().name("drop").description("Never answers: the connection is cut")
                .inputSchema(McpJsonDefaults.getMapper(), "{\"type\":\"object\"}").build();
        server = McpServer.sync(fresh).serverInfo("sessions", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(List.of(
                        new SyncToolSpecification(echo, (exchange, request) -> McpSchema.CallToolResult.builder()
                                .addTextContent("echo: " + request.arguments().get("message")).build()),
                        new SyncToolSpecification(hangUp, (exchange, request) -> {
                            throw new IllegalStateException("answered by the front servlet");
                        }),
                        new SyncToolSpecification(drop, (exchange, request) -> {
                            throw new IllegalStateException("answered by the front servlet");
                        })))
                .build();
        transport = fresh;
    }

    private void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        String text = new String(body, StandardCharsets.UTF_8);
        if (!guard.pass(request, text, response)) {
            return;
        }
        if (text.contains("\"method\":\"initialize\"")) {
            initializes.incrementAndGet();
        }
        if (text.contains("\"name\":\"drop\"")) {
            // Half an event, then the connection is cut: the answer's chunked body never ends.
            hangUps.incrementAndGet();
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.getOutputStream().write("event: message\ndata: {\"jsonrpc\"".getBytes(StandardCharsets.UTF_8));
            response.flushBuffer();
            throw new IllegalStateException("the test server drops the connection here");
        }
        if (text.contains("\"name\":\"hang_up\"")) {
            // The answer's event stream is opened and then ended with no event in it.
            hangUps.incrementAndGet();
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.flushBuffer();
            return;
        }
        try {
            transport.service(new ReadAgain(request, body), response);
        } catch (jakarta.servlet.ServletException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
        server.close();
    }
}
