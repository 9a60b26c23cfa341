package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.NpmTools;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.Transition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An install whose connection the service no longer takes ({@code needs_reauth}): its server stops,
 * a crash-restart cannot make it {@code running} again, and Start is refused with what to do.
 * Real server-everything processes, a real H2 file.
 */
class SignedOutTest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Credentials TOKENS = new Credentials("github", AuthMethod.OAUTH,
            Map.of("accessToken", "first-token", "refreshToken", "refresh-1"), null, "octocat");

    @TempDir
    Path dataDir;

    private RuntimeFixture fixture;

    @BeforeEach
    void running() {
        RuntimeFixture.manifest(dataDir, "test__github-everything", """
                {"name": "test__github-everything", "display_name": "Everything through GitHub",
                 "server": {"command": "node", "args": ["%s", "stdio"]},
                 "archestra_config": {"oauth": {"provider": "github", "required": true}}}
                """.formatted(NpmTools.everything()));
        fixture = new RuntimeFixture(dataDir, RuntimeFixture.quick(), new HashMap<>(System.getenv()));
        Instant now = Instant.now();
        fixture.store.insert(new Install("gh-1", "test__github-everything", "Everything through GitHub", AuthMethod.OAUTH,
                null, InstallStatus.CONNECTING, null, null, Map.of(), now, now), Map.of(), Map.of());
        fixture.installs.saveCredentials("gh-1", TOKENS, Why.CONNECTED);
        fixture.installs.transition("gh-1", InstallStatus.CONNECTED, "Signed in.");
        fixture.await("gh-1", InstallStatus.RUNNING, START);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void a_crash_restart_does_not_turn_needs_reauth_into_running() {
        ProcessHandle server = serverProcess();

        server.destroyForcibly();
        fixture.installs.transition("gh-1", Transition.to(InstallStatus.NEEDS_REAUTH,
                "GitHub no longer accepts the saved sign-in (invalid_grant).").ifCredentialsStill(TOKENS));

        awaitNoServer();
        // The quick backoff restarts within 300 ms; three times that shows none came.
        RuntimeFixture.sleep(900);
        assertThat(fixture.installs.find("gh-1").orElseThrow().status()).isEqualTo(InstallStatus.NEEDS_REAUTH);
        assertThat(fixture.runtime.find("gh-1")).isEmpty();
        assertThat(fixture.statuses("gh-1")).last().asString().startsWith("needs_reauth: ");
    }

    @Test
    void entering_needs_reauth_stops_the_server() {
        ProcessHandle server = serverProcess();

        fixture.installs.transition("gh-1", Transition.to(InstallStatus.NEEDS_REAUTH,
                "GitHub no longer accepts the saved sign-in (invalid_grant).").ifCredentialsStill(TOKENS));

        awaitNoServer();
        assertThat(server.onExit()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(fixture.installs.find("gh-1").orElseThrow().status()).isEqualTo(InstallStatus.NEEDS_REAUTH);
    }

    @Test
    void start_on_needs_reauth_is_refused_with_what_to_do_and_the_status_stays() {
        fixture.installs.transition("gh-1", Transition.to(InstallStatus.NEEDS_REAUTH,
                "GitHub no longer accepts the saved sign-in (invalid_grant).").ifCredentialsStill(TOKENS));
        awaitNoServer();

        assertThatThrownBy(() -> fixture.runtime.start("gh-1").join())
                .isInstanceOf(InstallRefusedException.class)
                .hasMessage("Everything through GitHub needs you to sign in again before its server can start: press Reconnect")
                .extracting(e -> ((InstallRefusedException) e).reason()).isEqualTo(InstallRefusedException.Reason.NEEDS_SIGN_IN);
        assertThatThrownBy(() -> fixture.runtime.restart("gh-1").join()).isInstanceOf(InstallRefusedException.class);
        assertThat(fixture.installs.find("gh-1").orElseThrow().status()).isEqualTo(InstallStatus.NEEDS_REAUTH);
        assertThat(fixture.runtime.find("gh-1")).isEmpty();
    }

    @Test
    void a_reconnect_after_needs_reauth_starts_the_server_again() {
        fixture.installs.transition("gh-1", Transition.to(InstallStatus.NEEDS_REAUTH, "dead").ifCredentialsStill(TOKENS));
        awaitNoServer();

        fixture.installs.saveCredentials("gh-1", new Credentials("github", AuthMethod.OAUTH,
                Map.of("accessToken", "second-token"), null, "octocat"), Why.RECONNECTED);
        fixture.installs.transition("gh-1", InstallStatus.CONNECTED, "Connected as octocat.");

        fixture.await("gh-1", InstallStatus.RUNNING, START);
        assertThat(fixture.runtime.find("gh-1")).isPresent();
    }

    private ProcessHandle serverProcess() {
        // The server's node, not the bubblewrap processes around it (whose command lines name it too).
        List<ProcessHandle> servers = ProcessHandle.current().descendants()
                .filter(process -> process.info().commandLine().map(line -> line.contains("server-everything")).orElse(false))
                .filter(process -> process.info().command().map(command -> !command.endsWith("/bwrap")).orElse(true))
                .toList();
        assertThat(servers).hasSize(1);
        return servers.get(0);
    }

    /** Waits, on the runtime's own view, until no server of the install runs or is being started. */
    private void awaitNoServer() {
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            boolean serverLeft = ProcessHandle.current().descendants().anyMatch(process -> process.isAlive()
                    && process.info().commandLine().map(line -> line.contains("server-everything")).orElse(false));
            if (fixture.runtime.find("gh-1").isEmpty() && !serverLeft) {
                return;
            }
            RuntimeFixture.sleep(50);
        }
        throw new AssertionError("the server of gh-1 still runs; statuses " + fixture.statuses("gh-1"));
    }
}
