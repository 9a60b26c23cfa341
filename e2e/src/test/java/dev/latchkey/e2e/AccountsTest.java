package dev.latchkey.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reconnect, uninstall with revocation, and one server installed for two accounts. */
class AccountsTest extends WithOAuthWorld {

    @Test
    void reconnect_replaces_the_tokens_only_when_it_succeeds() throws InterruptedException {
        String id = world.connect("strict");
        String first = token(id);
        // Its server's start writes its own status reasons; the reconnect's must come after them.
        running(id);

        JsonNode denied = world.json(world.post("/api/installs/" + id + "/reconnect", "{}"));
        String state = SteppingBrowser.query(URI.create(denied.path("authorizationUrl").asText())).get("state");
        HttpResponse<String> deniedPage = world.browse("http://127.0.0.1:" + world.appPort
                + "/oauth/callback?error=access_denied&state=" + state);

        assertThat(deniedPage.statusCode()).isEqualTo(400);
        assertThat(token(id)).isEqualTo(first);
        JsonNode kept = world.install(id);
        assertThat(OAuthWorld.signedIn(kept)).as("signed in: %s", kept).isTrue();
        assertThat(kept.path("statusReason").asText()).isEqualTo("Reconnecting failed: You did not allow Latchkey access "
                + "at Acme strict. The saved sign-in is kept.");

        JsonNode again = world.json(world.post("/api/installs/" + id + "/reconnect", "{}"));
        HttpResponse<String> page = world.browse(again.path("authorizationUrl").asText());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(token(id)).startsWith("strict-at-").isNotEqualTo(first);
        assertThat(OAuthWorld.signedIn(world.install(id))).as("signed in: %s", world.install(id)).isTrue();
        assertThat(store.audit(id)).contains("oauth_failed|You did not allow Latchkey access at Acme strict.",
                "reconnected|strict by oauth");
    }

    @Test
    void uninstall_revokes_through_the_proxy_before_deleting() {
        world.nextSignIn("alice", "alice@example.com");
        String id = world.connect("acme");

        HttpResponse<String> deleted = world.delete("/api/installs/" + id);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(store.audit(id)).endsWith("revoked|acme", "uninstalled|null");
        assertThat(store.rows("SELECT COUNT(*) FROM secrets")).containsExactly("0");
    }

    @Test
    void uninstall_goes_through_when_the_proxy_is_down_and_the_audit_log_says_so() {
        String id = world.connect("acme");
        world.stopProxy();

        HttpResponse<String> deleted = world.delete("/api/installs/" + id);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(store.audit(id)).endsWith("revoke_failed|acme: the OAuth proxy at " + world.proxyUrl()
                + " refused the connection (is it running?)", "uninstalled|null");
        assertThat(world.install(id)).isNull();
        assertThat(store.rows("SELECT COUNT(*) FROM secrets")).containsExactly("0");
        assertThat(store.rows("SELECT COUNT(*) FROM connections")).containsExactly("0");
    }

    @Test
    void installs_one_server_twice_for_two_accounts_each_with_its_own_connection() {
        world.nextSignIn("alice", "alice@example.com");
        String alice = world.connect("acme");
        world.nextSignIn("bob", "bob@example.com");
        String bob = world.connect("acme");

        assertThat(world.install(alice).path("accountLabel").asText()).isEqualTo("alice@example.com");
        assertThat(world.install(bob).path("accountLabel").asText()).isEqualTo("bob@example.com");
        assertThat(token(alice)).isNotEqualTo(token(bob));
        assertThat(world.install(alice).path("catalogName").asText()).isEqualTo(world.install(bob).path("catalogName").asText());
    }

    private String token(String id) {
        return world.backend.launchSpecs().forInstall(id).env().values().stream()
                .filter(value -> !value.startsWith("https://")).findFirst().orElseThrow();
    }

    /** Waits until the install's server runs (a local node script: seconds), failing when it settles otherwise. */
    private void running(String id) throws InterruptedException {
        for (long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); ; Thread.sleep(100)) {
            String status = world.install(id).path("status").asText();
            if (status.equals("running")) {
                return;
            }
            assertThat(status).as("the install on its way to running").isIn("connected", "installing", "starting");
            assertThat(System.nanoTime()).as("the install runs within 2 minutes").isLessThan(deadline);
        }
    }
}
