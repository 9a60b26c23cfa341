package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.Heard;
import dev.latchkey.InstallWait;
import dev.latchkey.NpmTools;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole app as it runs: an install made through the API is started by the MCP runtime (a
 * real server-everything from npm-tools), and an MCP client of {@code /mcp} sees and calls its
 * tools, and hears them go when the install stops.
 */
class GatewayRuntimeTest {

    /** How long the client may take to hear of a running install; only a hung test gets there. */
    private static final Duration HEARD_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private Backend backend;
    private ApiClient api;
    private McpSyncClient client;

    @BeforeEach
    void start() throws Exception {
        NpmTools.addEverything(dataDir, "test__everything");
        backend = Backend.start(AppConfig.of(dataDir));
        api = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.closeGracefully();
        }
        backend.close();
    }

    @Test
    void an_install_started_by_the_runtime_is_listed_called_and_gone_when_it_stops() throws Exception {
        HttpResponse<String> added = api.post("/api/clients", "{\"name\":\"end to end\"}");
        String token = json.readTree(added.body()).get("token").asText();
        List<List<Tool>> heard = new CopyOnWriteArrayList<>();
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + backend.port())
                        .endpoint("/mcp")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                        .build())
                .toolsChangeConsumer(heard::add)
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        assertThat(client.listTools().tools()).isEmpty();

        HttpResponse<String> installed = api.post("/api/installs", "{\"catalogName\":\"test__everything\",\"auth\":\"none\"}");
        assertThat(installed.statusCode()).isEqualTo(201);
        String id = json.readTree(installed.body()).get("id").asText();
        InstallWait.until(() -> api.install(id), "running");
        Heard.until(() -> heard.stream().anyMatch(tools -> Heard.names(tools).contains("everything__echo")),
                "list_changed with everything__echo", HEARD_WITHIN);

        List<String> listed = Heard.names(client.listTools().tools());
        McpSchema.CallToolResult answer = client.callTool(
                new CallToolRequest("everything__echo", Map.of("message", "through the runtime")));

        assertThat(listed).contains("everything__echo", "everything__get-env")
                .allSatisfy(name -> assertThat(name).startsWith("everything__"));
        assertThat(((McpSchema.TextContent) answer.content().get(0)).text()).isEqualTo("Echo: through the runtime");

        assertThat(api.post("/api/installs/" + id + "/stop", "{}").statusCode()).isEqualTo(202);
        Heard.until(() -> !heard.isEmpty() && heard.get(heard.size() - 1).isEmpty(), "list_changed with no tools left",
                HEARD_WITHIN);
        assertThat(client.listTools().tools()).isEmpty();
    }
}
