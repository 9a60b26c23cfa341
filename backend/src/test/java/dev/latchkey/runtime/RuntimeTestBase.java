package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.NpmTools;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallRequest;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the MCP runtime tests share: a data dir with the test manifests (real servers from npm, and
 * small node and shell programs that crash, talk or spawn), a fixture per test closed after it, and
 * helpers that read a running server's environment and pid.
 */
abstract class RuntimeTestBase {

    /** A start is awaited on the runtime's own word (running, or failed by its own limits); this only ends a hang. */
    static final Duration START = dev.latchkey.InstallWait.HUNG;
    static final String CANARY = "LATCHKEY_RUNTIME_TEST_CANARY";

    @TempDir
    Path dataDir;

    RuntimeFixture fixture;
    final Map<String, String> appEnv = new HashMap<>(System.getenv());

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

    RuntimeFixture fixture(RuntimeSettings settings) {
        fixture = new RuntimeFixture(dataDir, settings, appEnv);
        return fixture;
    }

    Install install(String catalogName, Map<String, Object> userConfig) {
        return fixture.installs.install(new InstallRequest(catalogName, userConfig, AuthMethod.NONE));
    }

    /** Waits a moment for killed processes to be reaped, then checks none is left. */
    static void awaitGone(List<ProcessHandle> processes) {
        Instant deadline = Instant.now().plusSeconds(5);
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
            RuntimeFixture.sleep(50);
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
    }

    static Credentials credentials(String token) {
        return new Credentials("github", AuthMethod.OAUTH, Map.of("accessToken", token), null, "octocat");
    }

    Map<String, String> getEnv(String id) {
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

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    /** The pid of the install's running server: the leader of its process group. */
    long serverPid(String id) {
        String line = fixture.runtime.log(id, 100).stream().filter(l -> l.contains("[latchkey] running (pid "))
                .reduce((a, b) -> b).orElseThrow();
        return Long.parseLong(line.substring(line.indexOf("(pid ") + 5, line.indexOf(')', line.indexOf("(pid "))));
    }

    void awaitNewPid(String id, long old) {
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
