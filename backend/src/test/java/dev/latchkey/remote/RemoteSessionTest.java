package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.api.ApiClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote server's sessions and streams, through the gateway {@code /mcp} as a client calls it,
 * against a real MCP server on the Java SDK's servlet transport ({@link SessionServer}): a server
 * that forgot the session answers 404 and the call still succeeds on a new session; a server that
 * ends the answer's stream with no answer, or cuts the connection in the middle of it, ends the
 * call with a sentence, long before the tool-call time limit, and the install keeps serving.
 */
class RemoteSessionTest {

    /** Far below the app's tool-call limit (10 minutes): a call that waited for it would fail here, as hung. */
    private static final Duration CLIENT_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;
    private final ObjectMapper json = new ObjectMapper();
    private SessionServer remote;
    private Backend backend;
    private ApiClient api;
    private McpSyncClient gateway;
    private String id;

    @BeforeEach
    void start() throws Exception {
        remote = new SessionServer(SessionServer.Guard.OPEN);
        backend = Backend.start(AppConfig.of(dataDir));
        api = new ApiClient(backend.port(), backend.secret());
        JsonNode created = json.readTree(api.post("/api/installs", json.writeValueAsString(
                Map.of("remoteUrl", remote.url().toString(), "displayName", "Sessions"))).body());
        id = created.get("id").asText();
        InstallWait.until(() -> api.install(id), "running");
        String token = json.readTree(api.post("/api/clients", "{\"name\":\"sessions test\"}").body()).get("token").asText();
        gateway = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + backend.port()).endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build())
                .requestTimeout(CLIENT_WAIT).build();
        gateway.initialize();
    }

    @AfterEach
    void stop() {
        gateway.closeGracefully();
        backend.close();
        remote.close();
    }

    @Test
    void a_call_after_the_server_forgot_the_session_is_made_on_a_new_session_and_succeeds() {
        assertThat(echo("before")).isEqualTo("echo: before");
        int initialized = remote.initializes.get(); // the install's probe and its connection

        remote.forgetSessions();

        assertThat(echo("after")).isEqualTo("echo: after");
        assertThat(remote.initializes).hasValue(initialized + 1);
        assertThat(echo("again")).isEqualTo("echo: again");
        assertThat(remote.initializes).hasValue(initialized + 1);
        assertThat(api.install(id).get("status").asText()).isEqualTo("running");
    }

    @Test
    void a_call_after_the_server_restarted_is_made_on_a_new_session_and_succeeds() throws Exception {
        assertThat(echo("before")).isEqualTo("echo: before");
        int initialized = remote.initializes.get();

        remote.restart(); // the client's event stream is cut too: its reconnect meets the 404 first

        assertThat(echo("after the restart")).isEqualTo("echo: after the restart");
        assertThat(echo("again")).isEqualTo("echo: again");
        assertThat(remote.initializes.get()).isBetween(initialized + 1, initialized + 2);
        assertThat(api.install(id).get("status").asText()).isEqualTo("running");
    }

    @Test
    void a_stream_that_ends_without_the_answer_fails_the_call_with_a_sentence_and_the_install_keeps_serving() {
        assertThatThrownBy(() -> gateway.callTool(new McpSchema.CallToolRequest("sessions__hang_up", Map.of())))
                .hasMessageContaining("ended the answer's stream before it answered");
        assertThat(remote.hangUps).hasValue(1);

        assertThat(echo("still there")).isEqualTo("echo: still there");
        assertThat(api.install(id).get("status").asText()).isEqualTo("running");
    }

    @Test
    void a_connection_cut_mid_answer_fails_the_call_with_a_sentence_and_the_install_keeps_serving() {
        assertThatThrownBy(() -> gateway.callTool(new McpSchema.CallToolRequest("sessions__drop", Map.of())))
                .hasMessageContaining("closed the connection before it answered");
        assertThat(remote.hangUps).hasValue(1);

        assertThat(echo("still there")).isEqualTo("echo: still there");
        assertThat(api.install(id).get("status").asText()).isEqualTo("running");
    }

    private String echo(String message) {
        McpSchema.CallToolResult result = gateway.callTool(new McpSchema.CallToolRequest("sessions__echo", Map.of("message", message)));
        assertThat(result.isError()).as(String.valueOf(result.content())).isNotEqualTo(Boolean.TRUE);
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }
}
