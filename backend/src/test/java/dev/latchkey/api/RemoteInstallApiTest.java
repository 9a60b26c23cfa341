package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.remote.EverythingOverHttp;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote server added by its URL through {@code POST /api/installs}: the real server-everything
 * over Streamable HTTP, and over the legacy HTTP+SSE transport; the install runs with its tools,
 * and the gateway's {@code /mcp} serves and calls them under the install's prefix.
 */
class RemoteInstallApiTest {

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private Backend backend;
    private ApiClient api;

    @BeforeEach
    void start() {
        backend = Backend.start(AppConfig.of(dataDir));
        api = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void a_server_added_by_url_runs_with_its_tools_and_the_gateway_calls_them() throws Exception {
        try (EverythingOverHttp everything = EverythingOverHttp.start("streamableHttp")) {
            assertServedThroughTheGateway(everything, "Everything remote", "everything-remote__echo");
        }
    }

    @Test
    void an_old_http_and_sse_server_is_reached_through_the_fallback() throws Exception {
        try (EverythingOverHttp everything = EverythingOverHttp.start("sse")) {
            assertServedThroughTheGateway(everything, "Old everything", "old-everything__echo");
        }
    }

    @Test
    void a_url_that_is_not_https_off_loopback_is_refused_and_nothing_is_stored() throws Exception {
        HttpResponse<String> refused = api.post("/api/installs", "{\"remoteUrl\":\"http://mcp.example.com/mcp\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json.readTree(refused.body()).get("message").asText()).isEqualTo("remoteUrl: expected an https URL"
                + " (or http on 127.0.0.1 or localhost), without user name or #fragment, got \"http://mcp.example.com/mcp\"");
        assertThat(json.readTree(api.get("/api/installs").body()).get("installs")).isEmpty();
    }

    @Test
    void a_server_that_cannot_be_reached_is_refused_and_nothing_is_stored() throws Exception {
        HttpResponse<String> refused = api.post("/api/installs", "{\"remoteUrl\":\"http://127.0.0.1:9/mcp\"}");
        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(json.readTree(refused.body()).get("message").asText())
                .isEqualTo("The server at http://127.0.0.1:9/mcp could not be reached (ConnectException).");
        assertThat(json.readTree(api.get("/api/installs").body()).get("installs")).isEmpty();
    }

    private void assertServedThroughTheGateway(EverythingOverHttp everything, String name, String tool) throws Exception {
        HttpResponse<String> installed = api.post("/api/installs",
                json.writeValueAsString(Map.of("remoteUrl", everything.url().toString(), "displayName", name)));
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
        JsonNode body = json.readTree(installed.body());
        assertThat(body.has("signInUrl")).isFalse();
        assertThat(body.get("catalogName").asText()).isEqualTo("remote__" + tool.substring(0, tool.indexOf("__")));
        JsonNode running = InstallWait.until(() -> api.install(body.get("id").asText()), "running");
        assertThat(running.get("statusReason").asText()).contains("echo");

        String token = json.readTree(api.post("/api/clients", "{\"name\":\"remote test\"}").body()).get("token").asText();
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + backend.port())
                .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        try {
            client.initialize();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains(tool);
            McpSchema.CallToolResult answer = client.callTool(new McpSchema.CallToolRequest(tool, Map.of("message", "far")));
            assertThat(((McpSchema.TextContent) answer.content().get(0)).text()).isEqualTo("Echo: far");
        } finally {
            client.closeGracefully();
        }
    }
}
