package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.Heard;
import dev.latchkey.InstallWait;
import dev.latchkey.NpmTools;
import dev.latchkey.gateway.StdioBridgeLauncher;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latchkey mcp} across a restart of the app: the bridge (a process of its own, reading
 * {@code gateway.json} as {@code latchkey mcp} does) finds the app again on its new port, with its
 * new bridge token, and its client's calls go on without the client starting it again.
 */
class StdioBridgeRestartTest {

    /** Waits on what the bridge's client hears (the install already runs); the limit only ends a hung test. */
    private static final Duration HEARD_WITHIN = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private Backend backend;
    private McpSyncClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.closeGracefully();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void the_bridge_finds_the_app_again_after_it_restarts_on_a_new_port_and_calls_go_on() throws Exception {
        NpmTools.addEverything(dataDir, "test__everything");
        backend = Backend.start(AppConfig.of(dataDir));
        ApiClient api = new ApiClient(backend.port(), backend.secret());
        String id = json.readTree(api.post("/api/installs", "{\"catalogName\":\"test__everything\",\"auth\":\"none\"}")
                .body()).get("id").asText();
        InstallWait.until(() -> api.install(id), "running");
        List<List<Tool>> heard = new CopyOnWriteArrayList<>();
        client = McpClient.sync(new StdioClientTransport(bridge(), McpJsonDefaults.getMapper()))
                .toolsChangeConsumer(heard::add)
                .requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        Heard.until(() -> Heard.names(client.listTools().tools()).contains("everything__echo"),
                "the bridge to list everything__echo", HEARD_WITHIN);
        assertThat(echo("before the restart")).isEqualTo("Echo: before the restart");

        int before = backend.port();
        heard.clear(); // from here on only the restarted app can be heard: the old one is closed next
        backend.close();
        backend = null;
        backend = Backend.start(AppConfig.of(dataDir));
        ApiClient restarted = new ApiClient(backend.port(), backend.secret());
        InstallWait.until(() -> restarted.install(id), "running");
        Heard.until(() -> heard.stream().anyMatch(tools -> Heard.names(tools).contains("everything__echo")),
                "the bridge's client to hear the restarted app's tools", HEARD_WITHIN);

        assertThat(backend.port()).isNotEqualTo(before);
        assertThat(echo("after the restart")).isEqualTo("Echo: after the restart");
    }

    private String echo(String message) {
        McpSchema.CallToolResult answer = client.callTool(new CallToolRequest("everything__echo", Map.of("message", message)));
        return ((McpSchema.TextContent) answer.content().get(0)).text();
    }

    /** {@code latchkey mcp} on the data directory, as its own JVM. */
    private ServerParameters bridge() {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        return ServerParameters.builder(java).args("-cp", System.getProperty("java.class.path"),
                StdioBridgeLauncher.class.getName(), "--data-dir", dataDir.toString()).build();
    }
}
