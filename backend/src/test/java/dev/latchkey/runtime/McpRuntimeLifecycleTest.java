package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.runtime.RunningServers.RunningServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MCP runtime keeping real servers in the state asked for: restarts after crashes, stop, new credentials, uninstall, the app's own restart. */
class McpRuntimeLifecycleTest extends RuntimeTestBase {

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
}
