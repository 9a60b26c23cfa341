package dev.latchkey.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.gateway.ClientService;
import dev.latchkey.gateway.Gateway;
import dev.latchkey.gateway.GatewayClient;
import io.javalin.config.JavalinConfig;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * {@code /mcp}: the gateway over MCP's Streamable HTTP transport (the SDK's servlet), behind the
 * same Host and Origin checks as {@code /api} and a client token of its own, which is neither the
 * API secret nor the page's session. The calling client rides along in the request's MCP context,
 * where the gateway reads its limits.
 */
final class McpEndpoint extends HttpServlet {

    static final String PATH = "/mcp";

    /** Tool arguments can be larger than an API body (a file's text); more than this is refused. */
    private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private final transient HttpServletStreamableServerTransportProvider transport;
    private final transient ClientService clients;
    private final transient ObjectMapper json;

    private McpEndpoint(HttpServletStreamableServerTransportProvider transport, ClientService clients, ObjectMapper json) {
        this.transport = transport;
        this.clients = clients;
        this.json = json;
    }

    /** Starts the gateway on a new transport and mounts that transport at {@link #PATH} beside Javalin's routes. */
    static void mount(JavalinConfig config, Gateway gateway, ClientService clients, ObjectMapper json) {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint(PATH)
                .maxRequestSize(MAX_MESSAGE_BYTES)
                .contextExtractor(request -> McpTransportContext.create(Map.of(Gateway.CLIENT, request.getAttribute(Gateway.CLIENT))))
                .build();
        gateway.start(transport);
        config.jetty.modifyServletContextHandler(handler -> {
            ServletHolder holder = new ServletHolder(new McpEndpoint(transport, clients, json));
            holder.setAsyncSupported(true);
            handler.addServlet(holder, PATH);
        });
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        int port = request.getLocalPort();
        String host = request.getHeader("Host");
        if (host == null || !Set.of("127.0.0.1:" + port, "localhost:" + port).contains(host.toLowerCase(Locale.ROOT))) {
            refuse(response, 403, new ApiError("forbidden_host", "this server answers only to 127.0.0.1:" + port
                    + " or localhost:" + port + "; the Host header named something else"));
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !Set.of("http://127.0.0.1:" + port, "http://localhost:" + port).contains(origin)) {
            refuse(response, 403, new ApiError("forbidden_origin", "the MCP endpoint does not answer pages of other sites"));
            return;
        }
        Optional<GatewayClient> client = clients.authenticate(bearer(request));
        if (client.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"latchkey\"");
            refuse(response, 401, new ApiError("unauthorized", "missing, unknown or revoked client token: "
                    + "add a client on the Connectors page and send Authorization: Bearer <its token>"));
            return;
        }
        request.setAttribute(Gateway.CLIENT, client.get());
        transport.service(request, response);
    }

    private static String bearer(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length()).strip() : null;
    }

    private void refuse(HttpServletResponse response, int status, ApiError body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
