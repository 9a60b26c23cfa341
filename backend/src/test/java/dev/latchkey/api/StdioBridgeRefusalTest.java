package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.NpmTools;
import dev.latchkey.gateway.GatewayFile;
import dev.latchkey.gateway.StdioBridgeLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latchkey mcp} (a process of its own, on the data directory as an MCP client's entry runs
 * it) that cannot be used ends at once with one sentence: a client token the app refuses, an app
 * that is not there. Its client would otherwise wait out its own timeout on a bridge that never
 * answers. The limit on the process only ends a hung test.
 */
class StdioBridgeRefusalTest {

    private static final long HANG_GUARD_SECONDS = 20;
    private static final String HELLO = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n";

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private Backend backend;

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void a_revoked_clients_token_ends_the_bridge_at_once_saying_so_without_the_token() throws Exception {
        backend = Backend.start(AppConfig.of(dataDir));
        ApiClient api = new ApiClient(backend.port(), backend.secret());
        JsonNode created = json.readTree(api.post("/api/clients", "{\"name\":\"Cursor\"}").body());
        String token = created.get("token").asText();
        api.delete("/api/clients/" + created.get("client").get("id").asText());

        Ended bridge = bridge(token);

        assertThat(bridge.exit()).as(bridge.err()).isNotZero();
        assertThat(bridge.err()).contains("Latchkey refused this client's token")
                .contains("Connect the client again from the Connectors page").doesNotContain(token);
        assertThat(bridge.err().strip().lines()).hasSize(1);
    }

    @Test
    void a_token_latchkey_never_made_ends_the_bridge_the_same_way() throws Exception {
        backend = Backend.start(AppConfig.of(dataDir));
        String typo = "lkc_not-a-token-latchkey-made";

        Ended bridge = bridge(typo);

        assertThat(bridge.exit()).as(bridge.err()).isNotZero();
        assertThat(bridge.err()).contains("Latchkey refused this client's token").doesNotContain(typo);
    }

    @Test
    void an_app_that_is_not_running_behind_its_gateway_file_ends_the_bridge_saying_to_start_it() throws Exception {
        int nobody;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobody = socket.getLocalPort();
        }
        new GatewayFile(nobody, "lkc_left-over").write(dataDir); // what a crashed app leaves

        Ended bridge = bridge(null);

        assertThat(bridge.exit()).as(bridge.err()).isNotZero();
        assertThat(bridge.err()).contains("Latchkey is not running").contains("start it").doesNotContain("lkc_left-over");
        assertThat(bridge.err().strip().lines()).hasSize(1);
    }

    @Test
    void a_client_removed_while_its_bridge_runs_ends_the_bridge_at_its_next_call() throws Exception {
        NpmTools.addEverything(dataDir, "test__everything");
        backend = Backend.start(AppConfig.of(dataDir));
        ApiClient api = new ApiClient(backend.port(), backend.secret());
        String install = json.readTree(api.post("/api/installs", "{\"catalogName\":\"test__everything\",\"auth\":\"none\"}")
                .body()).get("id").asText();
        InstallWait.until(() -> api.install(install), "running");
        JsonNode created = json.readTree(api.post("/api/clients", "{\"name\":\"Cursor\"}").body());
        String token = created.get("token").asText();
        Running bridge = start(token);
        bridge.send(HELLO);
        assertThat(bridge.answer()).contains("\"id\":0").contains("latchkey"); // connected with the token
        bridge.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");

        api.delete("/api/clients/" + created.get("client").get("id").asText());
        bridge.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"everything__echo\",\"arguments\":{\"message\":\"after the removal\"}}}\n");
        Ended ended = bridge.ended();

        assertThat(ended.exit()).as(ended.err()).isNotZero();
        assertThat(ended.err()).contains("Latchkey refused this client's token").doesNotContain(token);
    }

    private record Ended(int exit, String err) {
    }

    /** A bridge process, its stdin held open as a client does. */
    private record Running(Process process, Path err) {

        void send(String line) {
            try {
                process.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().flush();
            } catch (IOException ended) {
                // the bridge already ended: what it said is in err
            }
        }

        /** The bridge's next line on stdout: an answer. */
        String answer() throws Exception {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("the bridge's answer; it said: " + Files.readString(err)).isNotNull();
            return line;
        }

        Ended ended() throws IOException, InterruptedException {
            if (!process.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the bridge still runs after " + HANG_GUARD_SECONDS + " s; it said: "
                        + Files.readString(err));
            }
            return new Ended(process.exitValue(), Files.readString(err));
        }
    }

    /** The bridge that has been sent the client's hello, until it ends. */
    private Ended bridge(String token) throws IOException, InterruptedException {
        Running bridge = start(token);
        bridge.send(HELLO);
        return bridge.ended();
    }

    /** The bridge on the data directory with {@code token} (null: gateway.json's), as a client's entry runs it. */
    private Running start(String token) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path err = Files.createTempFile(dataDir, "bridge", ".err");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StdioBridgeLauncher.class.getName(), "--data-dir", dataDir.toString())
                .redirectError(err.toFile());
        builder.environment().remove("LATCHKEY_CLIENT_TOKEN");
        if (token != null) {
            builder.environment().put("LATCHKEY_CLIENT_TOKEN", token);
        }
        return new Running(builder.start(), err);
    }
}
