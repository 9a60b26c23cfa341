package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.pages.ClientsSection;
import dev.latchkey.qa.pages.ConnectClientDialog;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstalledRow;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/**
 * Connecting an MCP client from the page and calling a tool through the gateway: a no-sign-in
 * server installed, then "MCP clients → Connect…" for Cursor, the entry shown (no token yet)
 * and written into Cursor's own file; the entry, run as Cursor runs it ({@code latchkey mcp} over
 * stdio, by the MCP Java SDK's client), lists the gateway's tools and calls one; the page, opened
 * again, shows that client's call.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatewayFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The app's home (user.home): where Connect writes Cursor's file, never the real one. */
    static Path home;

    @RegisterExtension
    final LatchkeyExtension latchkey = new LatchkeyExtension().dataDir(AcmeSite::install)
            .environment("JAVA_TOOL_OPTIONS", () -> "-Duser.home=" + home);

    @BeforeAll
    static void makeHome() throws IOException {
        home = Files.createTempDirectory("latchkey-qa-home-");
    }

    @AfterAll
    static void deleteHome() throws IOException {
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void a_client_connected_from_the_page_lists_the_tools_calls_one_through_the_gateway_and_the_page_shows_the_call(
            WebDriver driver, LatchkeyApp app) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        page = page.catalog().card(AcmeSite.LOCAL).install().fill("note", "for the gateway flow").install();
        InstalledRow row = page.installed().newest(AcmeSite.LOCAL_TITLE).awaitStatus("running").awaitTools();

        ClientsSection clients = page.clients();
        assertThat(clients.apps()).contains("cursor", "claude-desktop", "vscode", "claude-code");
        ConnectClientDialog dialog = clients.connect("cursor");
        Path file = home.resolve(".cursor/mcp.json");
        assertThat(dialog.path()).isEqualTo(file.toString());
        assertThat(dialog.entry()).contains("\"LATCHKEY_CLIENT_TOKEN\"", "<a new client token, made when you confirm>")
                .contains("\"mcp\"", app.dataDir().toString());
        page = dialog.write();
        assertThat(page.clients().connected("cursor")).isTrue();

        JsonNode entry = JSON.readTree(file.toFile()).path("mcpServers").path("latchkey");
        String token = entry.path("env").path("LATCHKEY_CLIENT_TOKEN").asText();
        assertThat(token).startsWith("lkc_");
        assertThat(Files.readString(app.logDir().resolve("app.out.log")) + Files.readString(app.logDir().resolve("app.err.log")))
                .as("the client token is in no log").doesNotContain(token);

        String echo;
        try (Cursor cursor = Cursor.start(entry)) {
            List<String> tools = cursor.client.listTools().tools().stream().map(Tool::name).toList();
            echo = tools.stream().filter(name -> name.endsWith("__echo")).findFirst().orElseThrow(
                    () -> new AssertionError("no echo tool among the gateway's tools " + tools));
            assertThat(tools).as("every tool of the one install, prefixed").contains(echo.replace("__echo", "__get-env"))
                    .allMatch(name -> name.startsWith(echo.substring(0, echo.indexOf("__") + 2)));
            CallToolResult result = cursor.client.callTool(new CallToolRequest(echo, Map.of("message", "hello from the page's client")));
            assertThat(result.isError()).as("the call failed: %s", result).isNotEqualTo(Boolean.TRUE);
            assertThat(((TextContent) result.content().get(0)).text()).isEqualTo("Echo: hello from the page's client");
        }

        // The page lists a client's calls as they were when it loaded; the call is written a moment after it ends.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        clients = page.clients();
        while (!clients.calls("Cursor").startsWith("1 call(s)") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            clients = clients.reloaded();
        }
        // Beside the app's own client for a bare `latchkey mcp` (its gateway.json), which made no call.
        assertThat(clients.clientNames()).containsExactlyInAnyOrder("Cursor", "latchkey mcp (stdio)");
        assertThat(clients.calls("Cursor")).startsWith("1 call(s), last ").doesNotEndWith("never");
        assertThat(clients.calls("latchkey mcp (stdio)")).startsWith("0 call(s)");
        assertThat(clients.clientStates()).containsOnly("may use every install");
        assertThat(page.installed().row(row.id()).status()).isEqualTo("running");
    }

    /** Cursor's side: what it does with the entry Connect wrote — run its command over stdio with its env. */
    private record Cursor(McpSyncClient client) implements AutoCloseable {

        static Cursor start(JsonNode entry) {
            List<String> args = new ArrayList<>();
            entry.path("args").forEach(arg -> args.add(arg.asText()));
            ServerParameters.Builder parameters = ServerParameters.builder(entry.path("command").asText()).args(args.toArray(String[]::new));
            entry.path("env").fields().forEachRemaining(variable -> parameters.addEnvVar(variable.getKey(), variable.getValue().asText()));
            // latchkey mcp is a JVM of its own; on a busy machine its first answer takes seconds.
            McpSyncClient client = McpClient.sync(new StdioClientTransport(parameters.build(), McpJsonDefaults.getMapper()))
                    .requestTimeout(Duration.ofSeconds(90)).initializationTimeout(Duration.ofSeconds(90)).build();
            client.initialize();
            return new Cursor(client);
        }

        @Override
        public void close() {
            client.closeGracefully();
        }
    }
}
