package dev.latchkey.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install lifecycle on a real H2 file: transitions the machine allows, refuses, and checks that lose to newer credentials. */
class LifecycleTest {

    private static final Instant EXPIRED = Instant.parse("2020-01-01T00:00:00Z");
    private static final Credentials OLD_SESSION = new Credentials("slack-browser", AuthMethod.BROWSER,
            Map.of("token", "xoxc-old", "d", "xoxd-old"), EXPIRED, "Acme");
    private static final Credentials NEW_SESSION = new Credentials("slack-browser", AuthMethod.BROWSER,
            Map.of("token", "xoxc-new", "d", "xoxd-new"), Instant.parse("2099-01-01T00:00:00Z"), "Acme");

    @TempDir
    Path dataDir;

    private Database database;
    private InstallStore store;
    private InstallService installs;
    private final List<InstallStatus> told = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        database = Database.open(dataDir);
        store = new InstallStore(database, SecretVault.open(dataDir), new ObjectMapper(), Clock.systemUTC());
        InstallEvents events = new InstallEvents();
        events.subscribe(event -> {
            if (event instanceof InstallEvent.Changed changed) {
                told.add(changed.install().status());
            }
        });
        installs = new InstallService(Catalog.load(dataDir.resolve("catalog")), store, events, Clock.systemUTC());
        Instant now = Instant.now();
        store.insert(new Install("i-1", "slack__mcp", "Slack", AuthMethod.BROWSER, null, InstallStatus.RUNNING,
                "13 tools", null, Map.of(), now, now), Map.of(), Map.of());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_transition_carrying_old_credentials_loses_against_newer_ones() {
        installs.saveCredentials("i-1", OLD_SESSION, Why.CONNECTED);
        // The check reads the session it tests; while it runs, the user signs in again.
        Credentials checked = store.credentials("i-1").orElseThrow();
        installs.transition("i-1", InstallStatus.PENDING_AUTH, "Waiting for you to sign in.");
        installs.saveCredentials("i-1", NEW_SESSION, Why.RECONNECTED);
        installs.transition("i-1", InstallStatus.CONNECTED, "Signed in to Slack as Acme.");

        StatusChange late = installs.transition("i-1", Transition.to(InstallStatus.NEEDS_RELOGIN,
                "The Slack session ended: sign in again.").ifCredentialsStill(checked));

        assertThat(late).isEqualTo(new StatusChange.Refused(installs.get("i-1"),
                "its credentials changed since they were checked"));
        assertThat(installs.get("i-1").status()).isEqualTo(InstallStatus.CONNECTED);
        assertThat(told).containsExactly(InstallStatus.PENDING_AUTH, InstallStatus.CONNECTED);
    }

    @Test
    void a_check_of_the_stored_session_marks_it_needs_relogin() {
        installs.saveCredentials("i-1", OLD_SESSION, Why.CONNECTED);
        Credentials checked = store.credentials("i-1").orElseThrow();

        StatusChange change = installs.transition("i-1", Transition.to(InstallStatus.NEEDS_RELOGIN,
                "The Slack session ended: sign in again.").ifCredentialsStill(checked));

        assertThat(change.applied()).isTrue();
        assertThat(change.install().status()).isEqualTo(InstallStatus.NEEDS_RELOGIN);
        assertThat(change.install().statusReason()).isEqualTo("The Slack session ended: sign in again.");
    }

    @Test
    void running_follows_only_a_start_and_never_needs_reauth() {
        installs.saveCredentials("i-1", OLD_SESSION, Why.CONNECTED);
        installs.transition("i-1", Transition.to(InstallStatus.NEEDS_REAUTH, "dead").ifCredentialsStill(OLD_SESSION));

        StatusChange starting = installs.transition("i-1", InstallStatus.STARTING, "Restarting after it exited with code 1.");
        StatusChange running = installs.transition("i-1", InstallStatus.RUNNING, "13 tools");

        assertThat(starting).isEqualTo(new StatusChange.Refused(installs.get("i-1"),
                "it is needs_reauth, and starting does not follow that"));
        assertThat(running.applied()).isFalse();
        assertThat(installs.get("i-1").status()).isEqualTo(InstallStatus.NEEDS_REAUTH);
        assertThat(installs.transition("i-1", InstallStatus.STOPPED, "Stopped.").applied()).isFalse();
        assertThat(installs.transition("i-1", InstallStatus.CONNECTED, "Connected as octocat.").applied()).isTrue();
    }

    @Test
    void a_sign_in_that_did_not_finish_goes_back_to_where_it_began() {
        installs.transition("i-1", InstallStatus.STOPPED, "Stopped.");
        installs.transition("i-1", InstallStatus.PENDING_AUTH, "Waiting for you to sign in.");

        installs.signInUnfinished("i-1", InstallStatus.STOPPED, "Sign-in did not finish: the login window was closed.");

        assertThat(installs.get("i-1").status()).isEqualTo(InstallStatus.STOPPED);
        assertThat(installs.get("i-1").statusReason()).isEqualTo("Sign-in did not finish: the login window was closed.");
    }

    @Test
    void a_note_changes_the_reason_and_keeps_the_status() {
        Install noted = installs.note("i-1", "Switching to browser login: sign in to Slack in the login window.");

        assertThat(noted.status()).isEqualTo(InstallStatus.RUNNING);
        assertThat(noted.statusReason()).isEqualTo("Switching to browser login: sign in to Slack in the login window.");
    }

    @Test
    void every_status_may_be_entered_from_somewhere_and_signed_out_is_left_only_by_a_sign_in() {
        for (InstallStatus status : InstallStatus.values()) {
            assertThat(Lifecycle.from(status)).as(status.wireName()).isNotEmpty();
            if (Lifecycle.SIGNED_OUT.contains(status)) {
                assertThat(InstallStatus.values()).filteredOn(to -> Lifecycle.allows(status, to) && to != status)
                        .containsExactlyInAnyOrder(InstallStatus.PENDING_AUTH, InstallStatus.CONNECTED);
            }
        }
    }
}
