package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.install.Install;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.runtime.RunningServers.RunningServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCP runtime with real servers from npm: started, checked over MCP, and what each server gets and shows. */
class McpRuntimeTest extends RuntimeTestBase {

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
                "npm_config_update_notifier", "UV_CACHE_DIR", "EVERYTHING_NOTE", "PWD"); // PWD: bwrap's --chdir
        assertThat(new TreeSet<>(env.keySet())).allMatch(name -> allowed.contains(name) || name.startsWith("LC_"),
                "a basic or the server's own variable");
    }

    @TempDir
    Path elsewhere;

    @Test
    void the_filesystem_server_lists_the_directory_given_in_user_config() throws Exception {
        // Outside the data dir: nothing inside it is ever bound into a sandbox.
        Path shared = Files.createDirectories(elsewhere.resolve("shared"));
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
}
