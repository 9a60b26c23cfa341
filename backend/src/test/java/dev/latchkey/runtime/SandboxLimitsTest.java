package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.sandbox.Limits;
import dev.latchkey.sandbox.Sandbox;
import dev.latchkey.sandbox.SandboxSupport;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sandboxed server over its memory or task limit is stopped and its install ends {@code failed}
 * with the sentence naming the limit, not restarted; one that cannot be sandboxed where a sandbox
 * is required does not start at all.
 */
class SandboxLimitsTest extends RuntimeTestBase {

    private static final Limits SMALL = new Limits(150L * 1024 * 1024, 40);

    @BeforeEach
    void hogs() {
        RuntimeFixture.manifest(dataDir, "test__memory-hog", """
                {"name": "test__memory-hog", "display_name": "Memory hog",
                 "server": {"command": "node", "args": ["-e", "const kept = []; setInterval(() => kept.push(Buffer.alloc(20e6, 1)), 50)"]}}
                """);
        RuntimeFixture.manifest(dataDir, "test__fork-hog", """
                {"name": "test__fork-hog", "display_name": "Fork hog",
                 "server": {"command": "sh", "args": ["-c", "while true; do sleep 60 & sleep 0.02; done"]}}
                """);
    }

    @Test
    void a_server_over_its_memory_limit_fails_with_the_limit_named() {
        fixture = new RuntimeFixture(dataDir, RuntimeFixture.quick(), new HashMap<>(appEnv), limited());
        Install install = fixture.installs.install(new InstallRequest("test__memory-hog", Map.of(), AuthMethod.NONE));

        Install failed = fixture.await(install.id(), InstallStatus.FAILED, START);

        assertThat(failed.statusReason()).startsWith("Stopped: its server used more than 150 MB of memory, its limit (");
        assertThat(fixture.statuses(install.id())).noneMatch(line -> line.contains("restarting"));
    }

    @Test
    void a_server_that_starts_too_many_processes_fails_with_the_limit_named() {
        fixture = new RuntimeFixture(dataDir, RuntimeFixture.quick(), new HashMap<>(appEnv), limited());
        Install install = fixture.installs.install(new InstallRequest("test__fork-hog", Map.of(), AuthMethod.NONE));

        Install failed = fixture.await(install.id(), InstallStatus.FAILED, START);

        assertThat(failed.statusReason()).startsWith("Stopped: its server ran ").contains("processes and threads, its limit is 40.");
    }

    @Test
    void where_a_sandbox_is_required_and_none_can_be_made_the_server_does_not_start() {
        Sandbox none = new Sandbox(() -> new SandboxSupport(null, "bubblewrap (bwrap) is not installed, so servers cannot be"
                + " sandboxed: install bubblewrap (apt-get install bubblewrap)", false), true, Limits.DEFAULT, dataDir);
        fixture = new RuntimeFixture(dataDir, RuntimeFixture.quick(), new HashMap<>(appEnv), none);
        Install install = fixture.installs.install(new InstallRequest("test__everything", Map.of(), AuthMethod.NONE));

        Install failed = fixture.await(install.id(), InstallStatus.FAILED, START);

        assertThat(failed.statusReason()).isEqualTo("Not started: Latchkey requires a sandbox (--require-sandbox), but"
                + " bubblewrap (bwrap) is not installed, so servers cannot be sandboxed: install bubblewrap (apt-get install bubblewrap)");
        assertThat(failed.sandboxed()).isFalse();
        assertThat(fixture.runtime.log(install.id(), 20)).noneMatch(line -> line.startsWith("[latchkey] starting"));
    }

    private Sandbox limited() {
        return new Sandbox(() -> SandboxSupport.probe(System.getenv("PATH")), true, SMALL, dataDir);
    }
}
