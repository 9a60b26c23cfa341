package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.NpmTools;
import dev.latchkey.install.Install;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with MCP clients no one here wrote, installed from npm: the MCP Inspector's CLI over
 * Streamable HTTP, and {@code mcp-remote} bridging stdio to it; and {@code latchkey mcp}'s bridge
 * driven by the Inspector over stdio. One server-everything runs behind it for all of them.
 */
class RealClientsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    @TempDir
    static Path scratch;

    private static GatewayHarness harness;
    private static Install install;
    private static String token;

    @BeforeAll
    static void start() {
        harness = new GatewayHarness(dataDir);
        install = harness.runEverything();
        token = harness.clients.create("real clients", null, null).token();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** What server-everything itself answers to {@code echo}, as JSON. */
    private JsonNode directEcho(String message) throws IOException {
        CallToolResult direct = harness.servers.find(install.id()).orElseThrow().client()
                .callTool(new CallToolRequest("echo", Map.of("message", message)));
        return JSON.readTree(McpJsonDefaults.getMapper().writeValueAsString(direct));
    }

    private List<String> inspector(List<String> target, String... method) {
        // A JVM (the stdio bridge) on a busy machine can take longer than the Inspector's 15 s default to answer.
        List<String> command = new ArrayList<>(List.of("node", NpmTools.bin("mcp-inspector").toString(), "--cli",
                "--connect-timeout", "60000"));
        command.addAll(target);
        command.addAll(List.of(method));
        return command;
    }

    private List<String> overHttp(String bearer) {
        return List.of(harness.mcpUrl(), "--transport", "http", "--header", "Authorization: Bearer " + bearer);
    }

    @Test
    void the_inspector_lists_the_tools_over_streamable_http() throws Exception {
        Result result = run(inspector(overHttp(token), "--method", "tools/list"));

        assertThat(result.exit()).as(result.err()).isZero();
        List<String> names = new ArrayList<>();
        JSON.readTree(result.out()).get("tools").forEach(tool -> names.add(tool.get("name").asText()));
        assertThat(names).contains("everything__echo", "everything__get-sum")
                .allMatch(name -> name.startsWith("everything__"));
    }

    @Test
    void the_inspector_calls_echo_and_gets_the_servers_answer_unchanged() throws Exception {
        Result result = run(inspector(overHttp(token), "--method", "tools/call", "--tool-name", "everything__echo",
                "--tool-arg", "message=hello from the inspector"));

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode answer = JSON.readTree(result.out());
        assertThat(answer.get("content")).isEqualTo(directEcho("hello from the inspector").get("content"));
    }

    @Test
    void the_inspector_with_a_wrong_token_gets_no_tools() throws Exception {
        Result result = run(inspector(overHttp("lkc_wrong"), "--method", "tools/list"));

        assertThat(result.exit()).isNotZero();
        assertThat(result.out()).doesNotContain("everything__echo");
        // A 401 with WWW-Authenticate: Bearer is what makes a client ask for authorization.
        assertThat(result.out() + result.err()).contains("\"code\":\"auth_required\"");
    }

    @Test
    void mcp_remote_reaches_the_gateway_from_stdio() throws Exception {
        ServerParameters remote = ServerParameters.builder("node")
                .args(NpmTools.bin("mcp-remote").toString(), harness.mcpUrl(), "--transport", "http-only",
                        "--header", "Authorization:Bearer " + token)
                .addEnvVar("MCP_REMOTE_CONFIG_DIR", scratch.resolve("mcp-auth").toString())
                .build();
        McpSyncClient client = McpClient.sync(new StdioClientTransport(remote, McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(60)).build();
        try {
            client.initialize();
            List<String> names = client.listTools().tools().stream().map(Tool::name).toList();
            CallToolResult echo = client.callTool(new CallToolRequest("everything__echo", Map.of("message", "via mcp-remote")));

            assertThat(names).contains("everything__echo");
            assertThat(JSON.readTree(McpJsonDefaults.getMapper().writeValueAsString(echo))).isEqualTo(directEcho("via mcp-remote"));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void latchkey_mcp_serves_the_gateway_over_stdio_to_the_inspector() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> bridge = List.of(java, "-cp", System.getProperty("java.class.path"),
                StdioBridgeLauncher.class.getName(), harness.mcpUrl(), token);

        Result result = run(inspector(bridge, "--method", "tools/call", "--tool-name", "everything__echo",
                "--tool-arg", "message=through the stdio bridge"));

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(JSON.readTree(result.out()).get("content")).isEqualTo(directEcho("through the stdio bridge").get("content"));
    }

    @Test
    void latchkey_mcp_passes_resource_templates_on_and_reads_a_templated_resource_for_the_inspector() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> bridge = List.of(java, "-cp", System.getProperty("java.class.path"),
                StdioBridgeLauncher.class.getName(), harness.mcpUrl(), token);

        Result templates = run(inspector(bridge, "--method", "resources/templates/list"));
        Result read = run(inspector(bridge, "--method", "resources/read", "--uri",
                "latchkey://everything/demo://resource/dynamic/text/7"));

        assertThat(templates.exit()).as(templates.err()).isZero();
        assertThat(JSON.readTree(templates.out()).path("resourceTemplates").findValuesAsText("uriTemplate"))
                .contains("latchkey://everything/demo://resource/dynamic/text/{resourceId}");
        assertThat(read.exit()).as(read.err()).isZero();
        assertThat(JSON.readTree(read.out()).path("contents").get(0).path("text").asText())
                .startsWith("Resource 7: This is a plaintext resource created at");
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(List<String> command) throws Exception {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("MCP_CATALOG_PATH", scratch.resolve("inspector-catalog.json").toString());
        builder.environment().put("HOME", scratch.toString());
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(2) + " did not finish within 90 s: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
