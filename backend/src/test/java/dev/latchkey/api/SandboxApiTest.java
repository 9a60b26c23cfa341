package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.NpmTools;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox through the API: {@code "network": false} in the install body is kept and shown,
 * {@code sandboxed} tells how its server was started, {@code GET /api/sandbox} what this machine offers.
 */
class SandboxApiTest {

    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path dataDir;
    private Backend backend;
    private ApiClient client;

    @BeforeEach
    void start() throws Exception {
        NpmTools.addEverything(dataDir, "test__everything");
        backend = Backend.start(AppConfig.of(dataDir));
        client = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void an_install_without_network_is_stored_so_and_its_server_runs_sandboxed() throws Exception {
        HttpResponse<String> created = client.post("/api/installs",
                "{\"catalogName\":\"test__everything\",\"auth\":\"none\",\"network\":false}");

        assertThat(created.statusCode()).isEqualTo(201);
        String id = json.readTree(created.body()).get("id").asText();
        assertThat(json.readTree(created.body()).get("network").asBoolean()).isFalse();
        JsonNode running = InstallWait.until(() -> client.install(id), "running");
        assertThat(running.get("network").asBoolean()).isFalse();
        assertThat(running.get("sandboxed").asBoolean()).isTrue();
        String log = json.readTree(client.get("/api/installs/" + id + "/runtime").body()).get("log").toString();
        assertThat(log).contains("[latchkey] sandbox: bubblewrap, network off");
    }

    @Test
    void an_install_has_the_network_unless_the_body_says_false() throws Exception {
        HttpResponse<String> created = client.post("/api/installs", "{\"catalogName\":\"test__everything\",\"auth\":\"none\"}");

        assertThat(json.readTree(created.body()).get("network").asBoolean()).isTrue();
    }

    @Test
    void a_network_that_is_not_a_boolean_is_refused_with_one_sentence() throws Exception {
        HttpResponse<String> refused = client.post("/api/installs",
                "{\"catalogName\":\"test__everything\",\"auth\":\"none\",\"network\":\"off\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json.readTree(refused.body()).get("message").asText()).isEqualTo("network: expected true or false, got off");
        assertThat(json.readTree(client.get("/api/installs").body()).get("installs")).isEmpty();
    }

    @Test
    void the_sandbox_endpoint_says_bubblewrap_works_here_and_the_limits() throws Exception {
        JsonNode sandbox = json.readTree(client.get("/api/sandbox").body());

        assertThat(sandbox.get("available").asBoolean()).as("bubblewrap works here (./latchkey test installs it): " + sandbox).isTrue();
        assertThat(sandbox.get("problem").isNull()).isTrue();
        assertThat(sandbox.get("required").asBoolean()).isFalse();
        assertThat(sandbox.get("memoryLimitMb").asInt()).isEqualTo(512);
        assertThat(sandbox.get("taskLimit").asInt()).isEqualTo(256);
    }
}
