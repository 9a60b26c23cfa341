package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's routes refuse what they cannot do in words: an install that does not exist, a log
 * length out of range. The good paths run real servers in {@code McpRuntimeTest} and the page test.
 */
class RuntimeApiTest {

    /** A no-auth server whose command does not exist here: it installs, and its start fails in words. */
    private static final String MISSING_COMMAND = """
            {"name": "test__absent", "display_name": "Test Absent",
             "server": {"type": "local", "command": "latchkey-test-no-such-command", "args": []}}
            """;

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private Backend backend;
    private ApiClient client;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog/test__absent.json"), MISSING_COMMAND);
        backend = Backend.start(new AppConfig(dataDir, 0, URI.create("http://127.0.0.1:9")));
        client = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void every_runtime_route_answers_404_in_words_for_an_install_that_does_not_exist() throws Exception {
        for (HttpResponse<String> response : List.of(client.post("/api/installs/nope/start", "{}"),
                client.post("/api/installs/nope/stop", "{}"), client.post("/api/installs/nope/restart", "{}"),
                client.get("/api/installs/nope/runtime"))) {
            assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(404);
            assertThat(json.readTree(response.body())).as(response.uri().toString()).isEqualTo(json.readTree(
                    "{\"error\":\"not_found\",\"message\":\"no install has the id \\\"nope\\\"\"}"));
        }
    }

    @Test
    void the_log_length_must_be_a_number_from_0_to_500() throws Exception {
        String id = install();

        for (String lines : List.of("501", "-1", "ten", "")) {
            HttpResponse<String> refused = client.get("/api/installs/" + id + "/runtime?lines=" + lines);
            assertThat(refused.statusCode()).as("lines=" + lines).isEqualTo(400);
            assertThat(json.readTree(refused.body()).path("message").asText())
                    .isEqualTo("lines: expected 0 to 500, got \"" + lines + "\"");
        }
        JsonNode none = json.readTree(client.get("/api/installs/" + id + "/runtime?lines=0").body());
        assertThat(none.path("log")).isEmpty();
        assertThat(none.path("tools")).isEmpty();
    }

    @Test
    void a_server_whose_command_is_missing_fails_in_words_and_says_so_again_on_restart() throws Exception {
        String id = install();
        JsonNode failed = awaitStatus(id, "failed");
        assertThat(failed.path("statusReason").asText()).contains("latchkey-test-no-such-command");

        HttpResponse<String> restart = client.post("/api/installs/" + id + "/restart", "{}");

        assertThat(restart.statusCode()).isEqualTo(202);
        assertThat(awaitStatus(id, "failed").path("statusReason").asText()).contains("latchkey-test-no-such-command");
        JsonNode runtime = json.readTree(client.get("/api/installs/" + id + "/runtime?lines=50").body());
        assertThat(runtime.path("log").toString()).contains("latchkey-test-no-such-command");
        assertThat(client.post("/api/installs/" + id + "/stop", "{}").statusCode()).isEqualTo(202);
        assertThat(awaitStatus(id, "stopped").path("id").asText()).isEqualTo(id);
    }

    private String install() throws Exception {
        HttpResponse<String> created = client.post("/api/installs",
                "{\"catalogName\":\"test__absent\",\"userConfig\":{},\"auth\":\"none\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json.readTree(created.body()).path("id").asText();
    }

    private JsonNode awaitStatus(String id, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode install = null;
        while (System.nanoTime() < deadline) {
            install = json.readTree(client.get("/api/installs/" + id).body());
            if (status.equals(install.path("status").asText())) {
                return install;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("install " + id + " never became " + status + ": " + install);
    }
}
