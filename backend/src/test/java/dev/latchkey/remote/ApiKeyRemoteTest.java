package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.api.ApiClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog manifest of {@code server.type: "remote"} whose server takes an API key, a sensitive
 * {@code user_config} value the manifest sends in a header it names: installed through the same
 * {@code POST /api/installs} as a local server, it runs with the key (stored sealed) and without
 * a sign-in; a wrong key is refused by the server and the install says so.
 */
class ApiKeyRemoteTest {

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private EverythingOverHttp everything;
    private FakeSite site;
    private Backend backend;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        everything = EverythingOverHttp.start("streamableHttp");
        site = new FakeSite();
        site.onRaw("/mcp", new GuardedRelay(everything.url(), () -> Set.of("key-4242"),
                site.url("/.well-known/oauth-protected-resource/mcp")));
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog/acme__keyed.json"), """
                {"name": "acme__keyed", "display_name": "Keyed",
                 "server": {"type": "remote", "url": "%s", "headers": {"Authorization": "Bearer ${user_config.api_key}"}},
                 "user_config": {"api_key": {"type": "string", "title": "API key", "required": true, "sensitive": true}}}
                """.formatted(site.url("/mcp")));
        backend = Backend.start(AppConfig.of(dataDir));
        api = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        backend.close();
        site.close();
        everything.close();
    }

    @Test
    void a_remote_manifest_with_an_api_key_installs_runs_and_keeps_the_key_sealed() throws Exception {
        HttpResponse<String> created = api.post("/api/installs",
                "{\"catalogName\":\"acme__keyed\",\"userConfig\":{\"api_key\":\"key-4242\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = json.readTree(created.body());
        assertThat(body.has("signInUrl")).isFalse();
        JsonNode running = InstallWait.until(() -> api.install(body.get("id").asText()), "running");
        assertThat(running.get("statusReason").asText()).contains("echo");
        assertThat(running.get("userConfig").get("api_key").asText()).isEqualTo("••••••");
        assertThat(site.heard).allSatisfy(h -> assertThat(h.authorization()).isEqualTo("Bearer key-4242"));
        assertThat(new String(Files.readAllBytes(dataDir.resolve("latchkey.mv.db")), StandardCharsets.ISO_8859_1))
                .doesNotContain("key-4242");
    }

    @Test
    void a_wrong_api_key_fails_the_install_with_what_the_server_answered() throws Exception {
        HttpResponse<String> refused = api.post("/api/installs",
                "{\"catalogName\":\"acme__keyed\",\"userConfig\":{\"api_key\":\"wrong\"}}");
        // The server answers 401 and names metadata it does not publish: Latchkey cannot sign in there.
        JsonNode body = json.readTree(refused.body());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(201);
        JsonNode failed = InstallWait.until(() -> api.install(body.get("id").asText()), "failed");
        assertThat(failed.get("statusReason").asText()).startsWith("The server at " + site.url("/mcp")
                + " asks for a sign-in but publishes no protected-resource metadata");
    }
}
