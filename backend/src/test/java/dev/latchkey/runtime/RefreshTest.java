package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.NpmTools;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallStatus;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refreshed credentials and tool calls' own time limit, with real server-everything processes. */
class RefreshTest {

    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private RuntimeFixture fixture;

    @BeforeEach
    void manifests() {
        String everything = NpmTools.everything().toString();
        RuntimeFixture.manifest(dataDir, "test__everything", """
                {"name": "test__everything", "display_name": "Everything",
                 "server": {"command": "node", "args": ["%s", "stdio"]}}
                """.formatted(everything));
        RuntimeFixture.manifest(dataDir, "test__drive-everything", """
                {"name": "test__drive-everything", "display_name": "Everything through Google",
                 "server": {"command": "node", "args": ["%s", "stdio"]},
                 "archestra_config": {"oauth": {"provider": "google", "required": true}}}
                """.formatted(everything));
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void refreshed_credentials_in_files_are_rewritten_in_place_and_the_server_keeps_running() throws Exception {
        // Bare: a sandbox binds each credential file by its inode, so a sandboxed server restarts instead (below).
        fixture = new RuntimeFixture(dataDir, RuntimeFixture.quick(), new HashMap<>(System.getenv()), RuntimeFixture.bare(dataDir));
        Instant now = Instant.now();
        fixture.store.insert(new Install("drive-1", "test__drive-everything", "Everything through Google",
                AuthMethod.OAUTH, null, InstallStatus.CONNECTING, null, null, Map.of(), now, now), Map.of(), Map.of());
        fixture.installs.saveCredentials("drive-1", google("first-access"), Why.CONNECTED);
        fixture.installs.transition("drive-1", InstallStatus.CONNECTED, "Signed in.");
        fixture.await("drive-1", InstallStatus.RUNNING, START);
        RunningServers.RunningServer before = fixture.runtime.find("drive-1").orElseThrow();
        Path file = dataDir.resolve("installs/drive-1/.gdrive-server-credentials.json");
        assertThat(Files.readString(file)).contains("first-access");

        fixture.installs.saveCredentials("drive-1", google("second-access"), Why.REFRESHED);

        Instant deadline = Instant.now().plusSeconds(10);
        while (!Files.readString(file).contains("second-access") && Instant.now().isBefore(deadline)) {
            RuntimeFixture.sleep(50);
        }
        assertThat(Files.readString(file)).contains("second-access").doesNotContain("first-access");
        assertThat(fixture.runtime.log("drive-1", 20)).anyMatch(line -> line.endsWith("written to its files in place; it keeps running"));
        assertThat(fixture.runtime.find("drive-1")).containsSame(before);
        assertThat(fixture.statuses("drive-1")).extracting(line -> line.substring(0, line.indexOf(':')))
                .containsExactly("connected", "starting", "running");
    }

    @Test
    void refreshed_credentials_in_files_restart_a_sandboxed_server() throws Exception {
        fixture = new RuntimeFixture(dataDir, RuntimeFixture.quick(), new HashMap<>(System.getenv()));
        Instant now = Instant.now();
        fixture.store.insert(new Install("drive-1", "test__drive-everything", "Everything through Google",
                AuthMethod.OAUTH, null, InstallStatus.CONNECTING, null, null, Map.of(), now, now), Map.of(), Map.of());
        fixture.installs.saveCredentials("drive-1", google("first-access"), Why.CONNECTED);
        fixture.installs.transition("drive-1", InstallStatus.CONNECTED, "Signed in.");
        fixture.await("drive-1", InstallStatus.RUNNING, START);
        RunningServers.RunningServer before = fixture.runtime.find("drive-1").orElseThrow();
        assertThat(fixture.installs.find("drive-1").orElseThrow().sandboxed()).isTrue();

        fixture.installs.saveCredentials("drive-1", google("second-access"), Why.REFRESHED);

        Instant deadline = Instant.now().plusSeconds(20);
        while (fixture.runtime.find("drive-1").filter(server -> server != before).isEmpty() && Instant.now().isBefore(deadline)) {
            RuntimeFixture.sleep(50);
        }
        assertThat(fixture.runtime.find("drive-1")).isPresent().get().isNotSameAs(before);
        assertThat(fixture.runtime.log("drive-1", 40)).anyMatch(line -> line.endsWith("restarting once the calls under way are over"));
        assertThat(Files.readString(dataDir.resolve("installs/drive-1/.gdrive-server-credentials.json"))).contains("second-access");
    }

    @Test
    void a_tool_call_is_held_to_its_own_time_limit_not_the_starts() {
        RuntimeSettings settings = RuntimeFixture.quick().withToolCallTimeout(Duration.ofSeconds(2));
        fixture = new RuntimeFixture(dataDir, settings, new HashMap<>(System.getenv()));
        Install install = fixture.installs.install(new InstallRequest("test__everything", Map.of(), AuthMethod.NONE));
        fixture.await(install.id(), InstallStatus.RUNNING, START);
        var client = fixture.runtime.find(install.id()).orElseThrow().client();

        long since = System.nanoTime();
        assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("trigger-long-running-operation",
                Map.of("duration", 6, "steps", 1)))).hasMessageContaining("Timeout");

        assertThat(Duration.ofNanos(System.nanoTime() - since)).isLessThan(Duration.ofSeconds(5));
        McpSchema.CallToolResult quick = client.callTool(new McpSchema.CallToolRequest("trigger-long-running-operation",
                Map.of("duration", 0.5, "steps", 1)));
        assertThat(((McpSchema.TextContent) quick.content().get(0)).text()).startsWith("Long running operation completed.");
    }

    @Test
    void the_tool_call_time_limit_is_ten_minutes_unless_set() {
        assertThat(RuntimeSettings.defaults().toolCallTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(RuntimeSettings.defaults().startTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    private static Credentials google(String accessToken) {
        return new Credentials("google", AuthMethod.OAUTH, Map.of("accessToken", accessToken, "refreshToken", "refresh-1"),
                null, "someone@example.com");
    }
}
