package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.NpmTools;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure on an install's lane, where no caller waits on the future, reaches Latchkey's log
 * (slf4j-simple writes to the standard error stream of the moment, which the test reads).
 */
class LaneFailureTest {

    @TempDir
    Path dataDir;

    @Test
    void a_status_write_that_fails_on_the_lane_is_logged_with_its_install() throws Exception {
        RuntimeFixture.manifest(dataDir, "test__everything", """
                {"name": "test__everything", "display_name": "Everything",
                 "server": {"command": "node", "args": ["%s", "stdio"]}}
                """.formatted(NpmTools.everything()));
        RuntimeFixture fixture = new RuntimeFixture(dataDir, RuntimeFixture.quick(), new HashMap<>(System.getenv()));
        Install install = fixture.installs.install(new InstallRequest("test__everything", Map.of(), AuthMethod.NONE));
        fixture.await(install.id(), InstallStatus.RUNNING, Duration.ofSeconds(60));
        ProcessHandle server = ProcessHandle.current().descendants()
                .filter(process -> process.info().commandLine().map(line -> line.contains("server-everything")).orElse(false))
                .findFirst().orElseThrow();
        PrintStream err = System.err;
        ByteArrayOutputStream heard = new ByteArrayOutputStream();
        System.setErr(new PrintStream(heard, true, StandardCharsets.UTF_8));
        try {
            // The database goes away under the runtime; the crash that follows must write a status.
            fixture.database.close();
            server.destroyForcibly();

            Instant deadline = Instant.now().plusSeconds(30);
            while (!heard.toString(StandardCharsets.UTF_8).contains("a runtime task of install " + install.id() + " failed")
                    && Instant.now().isBefore(deadline)) {
                RuntimeFixture.sleep(50);
            }
        } finally {
            System.setErr(err);
            fixture.runtime.close();
        }
        assertThat(heard.toString(StandardCharsets.UTF_8))
                .contains("ERROR dev.latchkey.runtime.Lane - a runtime task of install " + install.id() + " failed");
    }
}
