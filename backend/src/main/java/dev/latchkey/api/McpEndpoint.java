package dev.latchkey.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.gateway.ClientService;
import dev.latchkey.gateway.Gateway;
import dev.latchkey.gateway.GatewayClient;
import io.javalin.config.JavalinConfig;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * {@code /mcp}: the gateway over MCP's Streamable HTTP transport (the SDK's servlet), behind the
 * same Host and Origin check as {@code /api} ({@link LoopbackOrigin}) and a client token of its own, which is neither the
 * API secret nor the page's session. The calling client rides along in the request's MCP context,
 * where the gateway reads its limits.
 *
 * <p>The SDK's server filters only the tool list per client; for a client limited to some installs
 * this edge answers the prompt, resource and resource-template lists itself (plain JSON, as
 * Streamable HTTP allows) with what the gateway says that client may see.
 */
final class McpEndpoint extends HttpServlet {

    static final String PATH = "/mcp";

    private static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final McpJsonMapper MCP_JSON = McpJsonDefaults.getMapper();

    /** Tool arguments can be larger than an API body (a file's text); more than this is refused. */
    private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private final transient HttpServletStreamableServerTransportProvider transport;
    private final transient Gateway gateway;
    private final transient ClientService clients;
    private final transient ObjectMapper json;

    private McpEndpoint(HttpServletStreamableServerTransportProvider transport, Gateway gateway, ClientService clients,
            ObjectMapper json) {
        this.transport = transport;
        this.gateway = gateway;
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
            ServletHolder holder = new ServletHolder(new McpEndpoint(transport, gateway, clients, json));
            holder.setAsyncSupported(true);
            handler.addServlet(holder, PATH);
        });
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        int port = request.getLocalPort();
        Optional<ApiError> refusal = LoopbackOrigin.refuseHost(port, request.getHeader("Host"))
                .or(() -> LoopbackOrigin.refuseOrigin(port, request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site")));
        if (refusal.isPresent()) {
            refuse(response, 403, refusal.get());
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
        if (client.get().allInstalls() || !"POST".equals(request.getMethod())) {
            transport.service(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_MESSAGE_BYTES + 1);
        if (!answerList(client.get(), request, body, response)) {
            transport.service(new ReadAgain(request, body), response);
        }
    }

    /** Answers a list request the SDK cannot filter for {@code client}; false for anything else. */
    private boolean answerList(GatewayClient client, HttpServletRequest request, byte[] body, HttpServletResponse response)
            throws IOException {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(MCP_JSON, new String(body, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return false; // the SDK answers what it cannot read
        }
        if (!(message instanceof McpSchema.JSONRPCRequest listing) || request.getHeader(SESSION_HEADER) == null) {
            return false;
        }
        Optional<Object> result = gateway.listFor(client, listing.method());
        if (result.isEmpty()) {
            return false;
        }
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(MCP_JSON.writeValueAsString(
                new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, listing.id(), result.get(), null)));
        return true;
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
