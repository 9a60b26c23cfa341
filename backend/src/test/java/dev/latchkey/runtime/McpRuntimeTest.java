package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.NpmTools;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.runtime.RunningServers.RunningServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCP runtime with real servers from npm, started, checked over MCP, stopped and restarted. */
class McpRuntimeTest {

    /** A start is awaited on the runtime's own word (running, or failed by its own limits); this only ends a hang. */
    private static final Duration START = dev.latchkey.InstallWait.HUNG;
    private static final String CANARY = "LATCHKEY_RUNTIME_TEST_CANARY";

    @TempDir
    Path dataDir;

    private RuntimeFixture fixture;
    private final Map<String, String> appEnv = new HashMap<>(System.getenv());

    @BeforeEach
    void manifests() {
        String everything = NpmTools.everything().toString();
        RuntimeFixture.manifest(dataDir, "test__everything", """
                {"name": "test__everything", "display_name": "Everything",
                 "server": {"command": "node", "args": ["%s", "stdio"], "env": {"EVERYTHING_NOTE": "${user_config.note}"}},
                 "user_config": {"note": {"type": "string", "title": "Note", "required": false}}}
                """.formatted(everything));
        RuntimeFixture.manifest(dataDir, "test__github-everything", """
                {"name": "test__github-everything", "display_name": "Everything through GitHub",
                 "server": {"command": "node", "args": ["%s", "stdio"]},
                 "archestra_config": {"oauth": {"provider": "github", "required": true}}}
                """.formatted(everything));
        RuntimeFixture.manifest(dataDir, "test__filesystem", """
                {"name": "test__filesystem", "display_name": "Filesystem",
                 "server": {"command": "node", "args": ["%s", "${user_config.allowed_directories}"]},
                 "user_config": {"allowed_directories": {"type": "directory", "title": "Allowed", "required": true, "multiple": true}}}
                """.formatted(NpmTools.filesystem()));
        RuntimeFixture.manifest(dataDir, "test__crasher", """
                {"name": "test__crasher", "display_name": "Crasher",
                 "server": {"command": "node", "args": ["-e", "console.error('crashing on purpose'); process.exit(3)"]}}
                """);
        RuntimeFixture.manifest(dataDir, "test__talker", """
                {"name": "test__talker", "display_name": "Talker",
                 "server": {"command": "node", "args": ["-e", "console.error('my key is ' + process.env.API_KEY); setInterval(() => {}, 1000)"],
                            "env": {"API_KEY": "${user_config.api_key}"}},
                 "user_config": {"api_key": {"type": "string", "title": "API key", "required": true, "sensitive": true}}}
                """);
        RuntimeFixture.manifest(dataDir, "test__family", """
                {"name": "test__family", "display_name": "Family",
                 "server": {"command": "sh", "args": ["-c", "sleep 600 & exec node \\"$0\\" stdio", "%s"]}}
                """.formatted(everything));
        RuntimeFixture.manifest(dataDir, "test__uv", """
                {"name": "test__uv", "display_name": "Needs uv",
                 "server": {"command": "uvx", "args": ["acme-mcp-server"]}}
                """);
        RuntimeFixture.manifest(dataDir, "test__slow-npx", """
                {"name": "test__slow-npx", "display_name": "Slow npx",
                 "server": {"command": "npx", "args": ["-y", "@acme/slow-mcp@1.0.0"]}}
                """);
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private RuntimeFixture fixture(RuntimeSettings settings) {
        fixture = new RuntimeFixture(dataDir, settings, appEnv);
        return fixture;
    }

    private Install install(String catalogName, Map<String, Object> userConfig) {
        return fixture.installs.install(new InstallRequest(catalogName, userConfig, AuthMethod.NONE));
    }

    @Test
    void a_no_sign_in_install_starts_at_once_and_lists_its_tools() {
        fixture(RuntimeFixture.quick());

        Install install = install("test__everything", Map.of());
        Install running = fixture.await(install.id(), InstallStatus.RUNNING, START);

        RunningServer server = fixture.runtime.find(install.id()).orElseThrow();
        List<String> tools = server.tools().stream().map(McpSchema.Tool::name).toList();
        assertThat(tools).contains("echo", "get-env");
        assertThat(running.statusReason()).isEqualTo(tools.size() + " tools: " + String.join(", ", tools));
        assertThat(server.displayName()).isEqualTo("Everything");
        assertThat(fixture.runtime.running()).containsExactly(server);
        assertThat(fixture.statuses(install.id())).extracting(line -> line.substring(0, line.indexOf(':')))
                .containsExactly("connected", "starting", "running");
    }

    @Test
    void the_server_gets_the_basics_and_its_own_variables_and_nothing_else_of_the_app() {
        appEnv.put(CANARY, "canary-value");
        appEnv.put("AWS_SECRET_ACCESS_KEY", "app-secret");
        fixture(RuntimeFixture.quick());
        Install install = install("test__everything", Map.of("note", "hello from the catalog"));
        fixture.await(install.id(), InstallStatus.RUNNING, START);

        Map<String, String> env = getEnv(install.id());

        assertThat(env).doesNotContainKeys(CANARY, "AWS_SECRET_ACCESS_KEY")
                .doesNotContainValue("canary-value");
        assertThat(env).containsEntry("EVERYTHING_NOTE", "hello from the catalog")
                .containsEntry("HOME", dataDir.resolve("installs").resolve(install.id()).toString())
                .containsEntry("PATH", System.getenv("PATH"));
        Set<String> allowed = Set.of("PATH", "LANG", "LANGUAGE", "TERM", "HOME", "npm_config_cache",
                "npm_config_update_notifier", "EVERYTHING_NOTE");
        assertThat(new TreeSet<>(env.keySet())).allMatch(name -> allowed.contains(name) || name.startsWith("LC_"),
                "a basic or the server's own variable");
    }

    @Test
    void the_filesystem_server_lists_the_directory_given_in_user_config() throws Exception {
        Path shared = Files.createDirectories(dataDir.resolve("shared"));
        Files.writeString(shared.resolve("hello.txt"), "hi");
        fixture(RuntimeFixture.quick());
        Install install = install("test__filesystem", Map.of("allowed_directories", List.of(shared.toString())));
        fixture.await(install.id(), InstallStatus.RUNNING, START);

        McpSchema.CallToolResult listing = fixture.runtime.find(install.id()).orElseThrow().client().callTool(
                new McpSchema.CallToolRequest("list_directory", Map.of("path", shared.toString())));

        assertThat(text(listing)).isEqualTo("[FILE] hello.txt");
    }

    @Test
    void a_missing_runtime_fails_with_what_to_install() throws Exception {
        appEnv.put("PATH", Files.createDirectories(dataDir.resolve("empty-bin")).toString());
        fixture(RuntimeFixture.quick());

        Install install = install("test__uv", Map.of());

        Install failed = fixture.await(install.id(), InstallStatus.FAILED, START);
        assertThat(failed.statusReason()).isEqualTo("needs uv (uvx) — install it from its site or your package manager");
        assertThat(fixture.runtime.log(install.id(), 10)).last().asString()
                .endsWith("[latchkey] failed: needs uv (uvx) — install it from its site or your package manager");
    }

    @Test
    void a_server_that_keeps_exiting_is_restarted_with_backoff_then_stays_failed() {
        fixture(RuntimeFixture.quick());

        Install install = install("test__crasher", Map.of());

        Install failed = fixture.await(install.id(), InstallStatus.FAILED, START);
        assertThat(failed.statusReason())
                .isEqualTo("Exited with code 3; it exited 3 times in a row. See its log, then press Start to try again.");
        assertThat(fixture.statuses(install.id())).containsSubsequence(
                "starting: Exited with code 3; restarting in 100 ms (restart 1 of 2).",
                "starting: Exited with code 3; restarting in 200 ms (restart 2 of 2).");
        assertThat(fixture.runtime.log(install.id(), 100)).filteredOn(line -> line.endsWith("crashing on purpose"))
                .hasSize(3);
    }

    @Test
    void a_running_server_that_is_killed_is_started_again() {
        fixture(RuntimeFixture.quick());
        Install install = install("test__everything", Map.of());
        fixture.await(install.id(), InstallStatus.RUNNING, START);
        long first = serverPid(install.id());

        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        awaitNewPid(install.id(), first);
        assertThat(fixture.statuses(install.id()))
                .contains("starting: Was killed by signal 9 (exit code 137); restarting in 100 ms (restart 1 of 2).");
    }

    @Test
    void stderr_goes_to_the_log_with_secret_values_masked() throws Exception {
        fixture(new RuntimeSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), List.of(), Duration.ofMinutes(1),
                Duration.ofSeconds(2)));
        Install install = install("test__talker", Map.of("api_key", "sk-live-1234567890"));

        Install failed = fixture.await(install.id(), InstallStatus.FAILED, START);

        assertThat(failed.statusReason()).startsWith("the server did not answer MCP initialize and tools/list within 2 s");
        assertThat(fixture.runtime.log(install.id(), 50)).anyMatch(line -> line.endsWith(" my key is ••••••"))
                .noneMatch(line -> line.contains("sk-live-1234567890"));
        String file = Files.readString(dataDir.resolve("logs").resolve(install.id() + ".log"));
        assertThat(file).contains("my key is ••••••").doesNotContain("sk-live-1234567890");
    }

    @Test
    void stop_ends_the_whole_process_group() {
        fixture(RuntimeFixture.quick());
        Install install = install("test__family", Map.of());
        fixture.await(install.id(), InstallStatus.RUNNING, START);
        ProcessHandle server = ProcessHandle.of(serverPid(install.id())).orElseThrow();
        List<ProcessHandle> family = ProcessHandle.allProcesses().filter(p -> String.valueOf(server.pid()).equals(
                ServerProcess.processGroup(Path.of("/proc", String.valueOf(p.pid()))))).toList();
        assertThat(family).as("node and the sleep it left behind, in one group").hasSizeGreaterThanOrEqualTo(2);

        fixture.runtime.stop(install.id()).join();

        assertThat(fixture.installs.find(install.id()).orElseThrow().status()).isEqualTo(InstallStatus.STOPPED);
        awaitGone(family);
        assertThat(fixture.runtime.find(install.id())).isEmpty();
    }

    @Test
    void a_first_npx_start_shows_installing_and_fails_clearly_at_its_time_limit() throws Exception {
        Path bin = Files.createDirectories(dataDir.resolve("slow-bin"));
        Path npx = bin.resolve("npx");
        Files.writeString(npx, "#!/bin/sh\nexec sleep 600\n");
        npx.toFile().setExecutable(true);
        appEnv.put("PATH", bin + ":" + System.getenv("PATH"));
        fixture(new RuntimeSettings(Duration.ofSeconds(30), Duration.ofMillis(1500), List.of(), Duration.ofMinutes(1),
                Duration.ofSeconds(2)));

        Install install = install("test__slow-npx", Map.of());

        Install failed = fixture.await(install.id(), InstallStatus.FAILED, START);
        assertThat(fixture.statuses(install.id()))
                .contains("installing: Fetching its packages with npx (first start; up to 1500 ms).");
        assertThat(failed.statusReason()).isEqualTo("npx did not finish fetching the server's packages within 1500 ms;"
                + " check the network connection (and the package name), then press Start");
    }

    @Test
    void new_credentials_restart_the_server_with_the_new_value() {
        fixture(RuntimeFixture.quick());
        Instant now = Instant.now();
        Install install = new Install("gh-1", "test__github-everything", "Everything through GitHub", AuthMethod.OAUTH,
                null, InstallStatus.CONNECTING, null, null, Map.of(), now, now);
        fixture.store.insert(install, Map.of(), Map.of());
        fixture.installs.saveCredentials("gh-1", credentials("first-token"), Why.CONNECTED);
        fixture.installs.transition("gh-1", InstallStatus.CONNECTED, "Signed in.");
        fixture.await("gh-1", InstallStatus.RUNNING, START);
        assertThat(getEnv("gh-1")).containsEntry("GITHUB_PERSONAL_ACCESS_TOKEN", "first-token");
        long first = serverPid("gh-1");

        fixture.installs.saveCredentials("gh-1", credentials("second-token"), Why.REFRESHED);

        awaitNewPid("gh-1", first);
        assertThat(getEnv("gh-1")).containsEntry("GITHUB_PERSONAL_ACCESS_TOKEN", "second-token");
        assertThat(fixture.statuses("gh-1")).contains("starting: Restarting with the refreshed credentials.");
    }

    @Test
    void uninstall_stops_the_server_and_deletes_its_directory_and_log() {
        fixture(RuntimeFixture.quick());
        Install install = install("test__everything", Map.of());
        fixture.await(install.id(), InstallStatus.RUNNING, START);
        ProcessHandle server = ProcessHandle.of(serverPid(install.id())).orElseThrow();
        Path dir = dataDir.resolve("installs").resolve(install.id());
        Path log = dataDir.resolve("logs").resolve(install.id() + ".log");
        assertThat(dir).isDirectory();
        assertThat(log).isRegularFile();

        fixture.installs.uninstall(install.id());

        Instant deadline = Instant.now().plusSeconds(10);
        while ((server.isAlive() || Files.exists(dir) || Files.exists(log)) && Instant.now().isBefore(deadline)) {
            RuntimeFixture.sleep(50);
        }
        assertThat(server.isAlive()).isFalse();
        assertThat(dir).doesNotExist();
        assertThat(log).doesNotExist();
        assertThat(fixture.runtime.running()).isEmpty();
    }

    @Test
    void servers_that_ran_when_the_app_stopped_start_again_with_the_app() {
        fixture(RuntimeFixture.quick());
        Install running = install("test__everything", Map.of());
        Install stopped = install("test__everything", Map.of("note", "stopped by its user"));
        fixture.await(running.id(), InstallStatus.RUNNING, START);
        fixture.await(stopped.id(), InstallStatus.RUNNING, START);
        fixture.runtime.stop(stopped.id()).join();
        long before = serverPid(running.id());
        fixture.close();
        assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        fixture(RuntimeFixture.quick());
        fixture.runtime.resume();

        awaitNewPid(running.id(), before);
        assertThat(fixture.statuses(running.id())).first().isEqualTo("starting: Starting again with the app.");
        assertThat(fixture.installs.find(stopped.id()).orElseThrow().status()).isEqualTo(InstallStatus.STOPPED);
        assertThat(fixture.runtime.running()).extracting(RunningServer::installId).containsExactly(running.id());
    }

    /** Waits a moment for killed processes to be reaped, then checks none is left. */
    private static void awaitGone(List<ProcessHandle> processes) {
        Instant deadline = Instant.now().plusSeconds(5);
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
            RuntimeFixture.sleep(50);
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
    }

    private static Credentials credentials(String token) {
        return new Credentials("github", AuthMethod.OAUTH, Map.of("accessToken", token), null, "octocat");
    }

    private Map<String, String> getEnv(String id) {
        McpSchema.CallToolResult result = fixture.runtime.find(id).orElseThrow().client()
                .callTool(new McpSchema.CallToolRequest("get-env", Map.of()));
        try {
            JsonNode env = new ObjectMapper().readTree(text(result));
            Map<String, String> values = new HashMap<>();
            env.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asText()));
            return values;
        } catch (Exception e) {
            throw new AssertionError("get-env did not answer JSON: " + text(result), e);
        }
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    /** The pid of the install's running server: the leader of its process group. */
    private long serverPid(String id) {
        String line = fixture.runtime.log(id, 100).stream().filter(l -> l.contains("[latchkey] running (pid "))
                .reduce((a, b) -> b).orElseThrow();
        return Long.parseLong(line.substring(line.indexOf("(pid ") + 5, line.indexOf(')', line.indexOf("(pid "))));
    }

    private void awaitNewPid(String id, long old) {
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            if (fixture.runtime.find(id).isPresent() && serverPid(id) != old) {
                return;
            }
            RuntimeFixture.sleep(50);
        }
        throw new AssertionError("no new server for " + id + "; statuses " + fixture.statuses(id));
    }
}
