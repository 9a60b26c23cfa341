package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Heard;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.store.Database;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway through the MCP SDK's own Streamable HTTP client, with real server-everything processes behind it. */
class GatewayTest {

    @TempDir
    Path dataDir;

    private GatewayHarness harness;
    private final List<McpSyncClient> opened = new ArrayList<>();

    @BeforeEach
    void start() {
        harness = new GatewayHarness(dataDir);
    }

    @AfterEach
    void stop() {
        opened.forEach(McpSyncClient::closeGracefully);
        harness.close();
    }

    private McpSyncClient connect(String token) {
        McpSyncClient client = harness.client(token);
        opened.add(client);
        return client;
    }

    @Test
    void lists_the_tools_of_a_running_install_with_its_prefix_description_and_schema() {
        Install install = harness.runEverything();
        String token = harness.clients.create("test", null, null).token();

        List<Tool> tools = connect(token).listTools().tools();

        Tool direct = harness.servers.find(install.id()).orElseThrow().tools().stream()
                .filter(tool -> tool.name().equals("echo")).findFirst().orElseThrow();
        Tool echo = tools.stream().filter(tool -> tool.name().equals("everything__echo")).findFirst().orElseThrow();
        assertThat(echo.description()).isEqualTo(direct.description());
        assertThat(echo.inputSchema()).isEqualTo(direct.inputSchema());
        assertThat(tools).hasSize(harness.servers.find(install.id()).orElseThrow().tools().size());
        assertThat(tools).allSatisfy(tool -> assertThat(tool.name()).startsWith("everything__"));
    }

    @Test
    void a_call_reaches_the_server_and_its_answer_comes_back_unchanged() {
        Install install = harness.runEverything();
        String token = harness.clients.create("test", null, null).token();
        CallToolRequest echo = new CallToolRequest("echo", Map.of("message", "hello through Latchkey"));

        CallToolResult through = connect(token).callTool(new CallToolRequest("everything__echo", echo.arguments()));
        CallToolResult direct = harness.servers.find(install.id()).orElseThrow().client().callTool(echo);

        assertThat(through).isEqualTo(direct);
        assertThat(((McpSchema.TextContent) through.content().get(0)).text()).isEqualTo("Echo: hello through Latchkey");
    }

    @Test
    void a_tool_error_of_the_server_comes_back_as_its_error() {
        Install install = harness.runEverything();
        String token = harness.clients.create("test", null, null).token();
        // get-sum wants numbers; the server answers a string with an error result of its own.
        Map<String, Object> wrong = Map.of("a", "not a number", "b", 1);

        CallToolResult through = connect(token).callTool(new CallToolRequest("everything__get-sum", wrong));
        CallToolResult direct = harness.servers.find(install.id()).orElseThrow().client()
                .callTool(new CallToolRequest("get-sum", wrong));

        assertThat(through.isError()).isTrue();
        assertThat(through).isEqualTo(direct);
    }

    @Test
    void an_unknown_tool_is_an_mcp_error() {
        harness.runEverything();
        String token = harness.clients.create("test", null, null).token();

        assertThatThrownBy(() -> connect(token).callTool(new CallToolRequest("everything__no-such-tool", Map.of())))
                .isInstanceOf(McpError.class);
    }

    @Test
    void two_installs_of_one_server_get_distinct_prefixes() {
        harness.runEverything();
        Install second = harness.runEverything();
        String token = harness.clients.create("test", null, null).token();

        List<String> names = connect(token).listTools().tools().stream().map(Tool::name).toList();

        String secondPrefix = "everything-" + second.id().replace("-", "").substring(0, 4);
        assertThat(names).contains("everything__echo", secondPrefix + "__echo");
    }

    @Test
    void every_call_is_audited_by_client_install_and_tool_and_counted_never_with_arguments() throws Exception {
        Install install = harness.runEverything();
        ClientService.IssuedClient issued = harness.clients.create("auditor", null, null);

        connect(issued.token()).callTool(new CallToolRequest("everything__echo", Map.of("message", "secret-argument")));

        // Written off the call's path: the row comes a moment after the answer.
        Heard.until(() -> !toolCallRows().isEmpty(), "the call's row in tool_calls", Duration.ofSeconds(15));
        assertThat(toolCallRows()).containsExactly(issued.client().id() + " " + install.id() + " tool_call echo");
        GatewayClient counted = harness.clients.find(issued.client().id());
        assertThat(counted.callCount()).isEqualTo(1);
        assertThat(counted.lastCallAt()).isNotNull();
    }

    @Test
    void calls_answered_before_the_gateway_closes_are_all_counted_and_audited() {
        harness.runEverything();
        ClientService.IssuedClient issued = harness.clients.create("busy", null, null);
        McpSyncClient client = connect(issued.token());
        for (int i = 0; i < 50; i++) {
            client.callTool(new CallToolRequest("everything__echo", Map.of("message", "call " + i)));
        }

        harness.gateway.close();

        assertThat(toolCallRows()).hasSize(50);
        assertThat(harness.clients.find(issued.client().id()).callCount()).isEqualTo(50);
    }

    private List<String> toolCallRows() {
        return harness.database.inTransaction(connection -> {
            List<String> found = new ArrayList<>();
            try (ResultSet row = connection.createStatement().executeQuery(
                    "SELECT client_id, install_id, event, detail FROM audit_log WHERE event = 'tool_call' ORDER BY id")) {
                while (row.next()) {
                    found.add(row.getString(1) + " " + row.getString(2) + " " + row.getString(3) + " " + row.getString(4));
                }
            }
            return found;
        });
    }

    @Test
    void a_client_limited_to_one_install_sees_and_calls_only_its_tools() {
        Install allowed = harness.runEverything();
        Install other = harness.runEverything();
        String token = harness.clients.create("limited", null, Set.of(allowed.id())).token();
        McpSyncClient client = connect(token);

        List<String> names = client.listTools().tools().stream().map(Tool::name).toList();

        assertThat(names).contains("everything__echo").noneMatch(name -> name.startsWith("everything-"));
        String otherEcho = "everything-" + other.id().replace("-", "").substring(0, 4) + "__echo";
        assertThatThrownBy(() -> client.callTool(new CallToolRequest(otherEcho, Map.of("message", "x"))))
                .isInstanceOf(McpError.class)
                .hasMessageContaining("may not use");
    }

    @Test
    void a_client_limited_to_another_install_neither_sees_nor_reads_this_ones_prompts_and_resources() {
        Install running = harness.runEverything();
        Install idle = harness.installs.install(new InstallRequest("modelcontextprotocol__everything", Map.of(), AuthMethod.NONE));
        McpSyncClient here = connect(harness.clients.create("here", null, Set.of(running.id())).token());
        McpSyncClient elsewhere = connect(harness.clients.create("elsewhere", null, Set.of(idle.id())).token());

        List<McpSchema.Resource> resources = here.listResources().resources();

        assertThat(here.listPrompts().prompts()).isNotEmpty()
                .allSatisfy(prompt -> assertThat(prompt.name()).startsWith("everything__"));
        assertThat(resources).isNotEmpty();
        assertThat(here.listResourceTemplates().resourceTemplates()).isNotEmpty();
        assertThat(elsewhere.listPrompts().prompts()).isEmpty();
        assertThat(elsewhere.listResources().resources()).isEmpty();
        assertThat(elsewhere.listResourceTemplates().resourceTemplates()).isEmpty();
        assertThatThrownBy(() -> elsewhere.readResource(new McpSchema.ReadResourceRequest(resources.get(0).uri())))
                .isInstanceOf(McpError.class)
                .hasMessageContaining("may not use");
    }

    @Test
    void resource_templates_pass_through_behind_the_install_and_a_templated_resource_reads_as_it_does_directly() {
        Install install = harness.runEverything();
        McpSyncClient client = connect(harness.clients.create("reader", null, null).token());
        McpSyncClient direct = harness.servers.find(install.id()).orElseThrow().client();
        McpSchema.ReadResourceRequest read = new McpSchema.ReadResourceRequest("demo://resource/dynamic/text/7");

        McpSchema.ReadResourceResult through = client.readResource(
                new McpSchema.ReadResourceRequest("latchkey://everything/demo://resource/dynamic/text/7"));

        assertThat(client.listResourceTemplates().resourceTemplates()).extracting(McpSchema.ResourceTemplate::uriTemplate)
                .containsExactlyInAnyOrderElementsOf(direct.listResourceTemplates().resourceTemplates().stream()
                        .map(template -> "latchkey://everything/" + template.uriTemplate()).toList());
        assertThat(through.contents()).hasSize(1);
        assertThat(((McpSchema.TextResourceContents) through.contents().get(0)).text())
                .startsWith("Resource 7: This is a plaintext resource created at");
        assertThat(through.contents().get(0).uri())
                .isEqualTo("latchkey://everything/" + direct.readResource(read).contents().get(0).uri());
    }

    @Test
    void a_new_limit_applies_to_the_clients_next_request() {
        harness.runEverything();
        Install other = harness.runEverything();
        ClientService.IssuedClient issued = harness.clients.create("soon limited", null, null);
        McpSyncClient client = connect(issued.token());
        String otherEcho = "everything-" + other.id().replace("-", "").substring(0, 4) + "__echo";
        client.callTool(new CallToolRequest(otherEcho, Map.of("message", "allowed still")));

        harness.clients.limit(issued.client().id(), Set.of(harness.installs.list().stream()
                .filter(install -> !install.id().equals(other.id())).findFirst().orElseThrow().id()));

        assertThat(client.listTools().tools()).extracting(Tool::name).doesNotContain(otherEcho);
        assertThatThrownBy(() -> client.callTool(new CallToolRequest(otherEcho, Map.of("message", "x"))))
                .isInstanceOf(McpError.class)
                .hasMessageContaining("may not use");
    }

    @Test
    void the_list_changes_when_an_install_starts_and_stops() throws Exception {
        String token = harness.clients.create("watcher", null, null).token();
        List<List<Tool>> heard = new CopyOnWriteArrayList<>();
        McpSyncClient client = harness.client(token, McpClient.sync(harness.transport(token)).toolsChangeConsumer(heard::add));
        opened.add(client);
        assertThat(client.listTools().tools()).isEmpty();

        Install install = harness.runEverything();
        Heard.until(() -> heard.stream().anyMatch(tools -> tools.stream().anyMatch(tool -> tool.name().equals("everything__echo"))),
                "list_changed with everything__echo", Duration.ofSeconds(15));
        harness.stop(install.id());
        harness.gateway.refresh().join();

        Heard.until(() -> !heard.isEmpty() && heard.get(heard.size() - 1).isEmpty(), "list_changed with no tools left",
                Duration.ofSeconds(15));
        assertThat(client.listTools().tools()).isEmpty();
    }

    @Test
    void a_server_stopping_mid_call_answers_an_mcp_error_not_a_hang() throws Exception {
        Install install = harness.runEverything();
        String token = harness.clients.create("test", null, null).token();
        McpSyncClient client = connect(token);
        CompletableFuture<CallToolResult> call = CompletableFuture.supplyAsync(() -> client.callTool(
                new CallToolRequest("everything__trigger-long-running-operation", Map.of("duration", 30, "steps", 3))));
        Thread.sleep(1000);

        // The process dies without a word (as a crash or kill -9 would), then the runtime marks it stopped.
        long stopped = System.nanoTime();
        ProcessHandle.current().descendants()
                .filter(process -> process.info().commandLine().orElse("").contains("mcp-server-everything"))
                .forEach(ProcessHandle::destroyForcibly);
        harness.installs.transition(install.id(), dev.latchkey.install.InstallStatus.STOPPED, "the process ended");

        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(McpError.class);
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(5));
    }
}
