package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallStatus;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in catalog's filesystem and everything servers, as a user installs them ({@code npx}
 * fetching the pinned package into the shared cache on the first start), start in their sandboxes
 * and list their tools; the filesystem server reads and writes its granted directory.
 */
class BuiltInSandboxedTest extends RuntimeTestBase {

    @TempDir
    Path notes;

    @Test
    void the_built_in_everything_server_starts_sandboxed_and_lists_its_tools() {
        fixture(RuntimeSettings.defaults());
        Install install = install("modelcontextprotocol__everything", Map.of());

        Install running = fixture.await(install.id(), InstallStatus.RUNNING, START);

        assertThat(running.sandboxed()).isTrue();
        assertThat(fixture.runtime.find(install.id()).orElseThrow().tools()).extracting(McpSchema.Tool::name).contains("echo");
    }

    @Test
    void an_install_with_no_network_starts_from_the_package_another_install_fetched() {
        fixture(RuntimeSettings.defaults());
        fixture.await(install("modelcontextprotocol__everything", Map.of()).id(), InstallStatus.RUNNING, START);
        Install offline = fixture.installs.install(
                new InstallRequest("modelcontextprotocol__everything", Map.of(), AuthMethod.NONE, false));

        Install running = fixture.await(offline.id(), InstallStatus.RUNNING, START);

        assertThat(running.network()).isFalse();
        // npm is told it is offline, so it starts from the cache at once instead of waiting out its
        // retries against a registry it cannot reach (about 70 s here); the server's env shows it.
        McpSchema.CallToolResult env = fixture.runtime.find(offline.id()).orElseThrow().client()
                .callTool(new McpSchema.CallToolRequest("get-env", Map.of()));
        assertThat(((McpSchema.TextContent) env.content().get(0)).text()).contains("\"npm_config_offline\": \"true\"");
    }

    @Test
    void the_built_in_filesystem_server_starts_sandboxed_and_works_in_its_granted_directory() throws Exception {
        Files.writeString(notes.resolve("todo.txt"), "water the plants");
        fixture(RuntimeSettings.defaults());
        Install install = install("modelcontextprotocol__filesystem", Map.of("allowed_directories", List.of(notes.toString())));

        Install running = fixture.await(install.id(), InstallStatus.RUNNING, START);

        assertThat(running.sandboxed()).isTrue();
        var client = fixture.runtime.find(install.id()).orElseThrow().client();
        McpSchema.CallToolResult read = client.callTool(new McpSchema.CallToolRequest("read_text_file",
                Map.of("path", notes.resolve("todo.txt").toString())));
        assertThat(((McpSchema.TextContent) read.content().get(0)).text()).isEqualTo("water the plants");
        client.callTool(new McpSchema.CallToolRequest("write_file", Map.of("path", notes.resolve("done.txt").toString(),
                "content", "written in the sandbox")));
        assertThat(notes.resolve("done.txt")).hasContent("written in the sandbox");
    }
}
