package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.NpmTools;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers with long tool lists, in the whole app: a real MCP stdio server (a Node script on the
 * MCP SDK that server-everything brings into npm-tools) offering the tools named in a file, installed
 * through the API; its status must reach {@code running} with a summary, the gateway must serve every
 * tool, and a crash must restart it.
 */
class LongToolListTest {

    /**
     * The tools of GitHub's official MCP server (github/github-mcp-server): 86, as its README's
     * "Tools" section lists them at commit 64a49f34 (2026-08-20) — 87 entries, get_label under both
     * Issues and Labels. The names are in the resource file, with that source at its top.
     */
    private static final int GITHUB_TOOL_COUNT = 86;

    @TempDir
    Path dataDir;
    /** Outside the data dir: nothing inside it is bound into a server's sandbox. */
    @TempDir
    Path files;

    private final ObjectMapper json = new ObjectMapper();
    private Backend backend;
    private ApiClient api;
    private McpSyncClient client;

    @BeforeEach
    void start() throws Exception {
        Path names = files.resolve("two-hundred-tools.txt");
        Files.write(names, IntStream.rangeClosed(1, 200).mapToObj(n -> "a_rather_long_tool_name_" + n).toList());
        manifest("test__two-hundred", names);
        manifest("test__github-tools", resource("many-tools/github-mcp-server-tools.txt"));
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
    void a_server_offering_200_tools_runs_with_a_summary_and_the_gateway_serves_every_tool() throws Exception {
        String id = install("test__two-hundred");

        JsonNode running = awaitStatus(id, "running");

        String reason = running.get("statusReason").asText();
        assertThat(reason).startsWith("200 tools: a_rather_long_tool_name_1, a_rather_long_tool_name_2, ")
                .endsWith(" more").hasSizeLessThan(300);
        int shown = reason.substring("200 tools: ".length(), reason.indexOf(", … and ")).split(", ").length;
        assertThat(shown).as("names in the summary").isBetween(1, 12);
        assertThat(reason).endsWith(", … and " + (200 - shown) + " more");
        List<String> served = gatewayTools();
        assertThat(served).hasSize(200).contains("two-hundred__a_rather_long_tool_name_200");
        McpSchema.CallToolResult answer = client.callTool(
                new McpSchema.CallToolRequest("two-hundred__a_rather_long_tool_name_137", Map.of()));
        assertThat(((McpSchema.TextContent) answer.content().get(0)).text()).isEqualTo("a_rather_long_tool_name_137");
    }

    @Test
    void a_server_with_200_tools_that_exits_is_restarted() throws Exception {
        String id = install("test__two-hundred");
        awaitStatus(id, "running");
        ProcessHandle first = serverProcess();

        first.destroyForcibly();

        awaitUntil(() -> {
            List<ProcessHandle> now = ProcessHandle.current().descendants().filter(LongToolListTest::isToolServer).toList();
            return now.stream().anyMatch(process -> process.pid() != first.pid()) && "running".equals(status(id));
        }, "a new server process, running");
        assertThat(status(id)).isEqualTo("running");
    }

    @Test
    void the_tools_of_githubs_official_server_all_reach_the_gateway() throws Exception {
        String id = install("test__github-tools");

        JsonNode running = awaitStatus(id, "running");

        assertThat(running.get("statusReason").asText()).startsWith(GITHUB_TOOL_COUNT + " tools: actions_get, actions_list, ")
                .contains(" more");
        assertThat(gatewayTools()).hasSize(GITHUB_TOOL_COUNT).contains("github-tools__get_me", "github-tools__search_code");
    }

    private void manifest(String name, Path names) throws Exception {
        Path sdk = NpmTools.folder().resolve("node_modules/@modelcontextprotocol/sdk");
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog").resolve(name + ".json"), """
                {"name": "%s", "display_name": "%s",
                 "server": {"command": "node", "args": ["%s", "%s", "%s"]}}
                """.formatted(name, name.substring("test__".length()), resource("many-tools/server.cjs"), sdk, names));
    }

    private static Path resource(String name) throws Exception {
        return Path.of(LongToolListTest.class.getResource("/" + name).toURI());
    }

    private String install(String catalogName) throws Exception {
        var installed = api.post("/api/installs", "{\"catalogName\":\"" + catalogName + "\",\"auth\":\"none\"}");
        assertThat(installed.statusCode()).isEqualTo(201);
        return json.readTree(installed.body()).get("id").asText();
    }

    /** Every tool the gateway lists, page by page, to a client of its own. */
    private List<String> gatewayTools() throws Exception {
        var added = api.post("/api/clients", "{\"name\":\"long lists\"}");
        String token = json.readTree(added.body()).get("token").asText();
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + backend.port())
                        .endpoint("/mcp")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                        .build())
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = client.listTools(cursor);
            page.tools().forEach(tool -> names.add(tool.name()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return names;
    }

    private ProcessHandle serverProcess() {
        return ProcessHandle.current().descendants().filter(LongToolListTest::isToolServer).findFirst()
                .orElseThrow(() -> new AssertionError("no server.cjs process runs"));
    }

    private static boolean isToolServer(ProcessHandle process) {
        return process.isAlive() && process.info().commandLine().map(line -> line.contains("server.cjs")).orElse(false);
    }

    private JsonNode awaitStatus(String id, String status) throws Exception {
        awaitUntil(() -> status.equals(status(id)), "the install to be " + status);
        return json.readTree(api.get("/api/installs/" + id).body());
    }

    private String status(String id) {
        try {
            return json.readTree(api.get("/api/installs/" + id).body()).get("status").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits on the app's own status; 60 s is far more than a local Node server needs to start. */
    private void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s for " + what + "; the install list: "
                        + api.get("/api/installs").body());
            }
            Thread.sleep(100);
        }
    }
}
