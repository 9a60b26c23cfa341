package dev.latchkey.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way an OAuth callback ends short of the good path, over HTTP with the real proxy and a real
 * authorization server: a tampered, replayed or expired state, a refused consent, a proxy or provider
 * that fails; and flows that span a restart of the app.
 */
class OAuthCallbackTest extends WithOAuthWorld {

    private SteppingBrowser browser;

    @BeforeEach
    void setUp() {
        browser = new SteppingBrowser(world);
    }

    @Test
    void refuses_a_tampered_state_and_stores_nothing() {
        JsonNode started = world.json(world.installOAuth("acme"));
        URI callback = browser.callbackUrl(started);
        String state = SteppingBrowser.query(callback).get("state");
        String tampered = state.substring(0, state.length() - 1) + (state.endsWith("A") ? "B" : "A");

        HttpResponse<String> page = browser.get(browser.loopbackCallback("code=" + SteppingBrowser.query(callback).get("code") + "&state=" + tampered));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("This sign-in link is not valid");
        assertThat(world.install(started.path("id").asText()).path("status").asText()).isEqualTo("pending_auth");
        assertThat(store.rows("SELECT COUNT(*) FROM connections")).containsExactly("0");
        assertThat(store.rows("SELECT COUNT(*) FROM pending_oauth_flows")).containsExactly("1");
    }

    @Test
    void refuses_a_replayed_callback_and_keeps_the_first_connection() {
        JsonNode started = world.json(world.installOAuth("acme"));
        URI callback = browser.callbackUrl(started);
        String id = started.path("id").asText();

        HttpResponse<String> first = browser.get(callback);
        String token = world.backend.launchSpecs().forInstall(id).env().get("ACME_ACCESS_TOKEN");
        HttpResponse<String> replay = browser.get(callback);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("It was already used");
        assertThat(OAuthWorld.signedIn(world.install(id))).as("signed in: %s", world.install(id)).isTrue();
        assertThat(world.backend.launchSpecs().forInstall(id).env().get("ACME_ACCESS_TOKEN")).isEqualTo(token);
        assertThat(store.rows("SELECT event, detail FROM audit_log WHERE install_id IS NULL AND event LIKE 'oauth%'"))
                .containsExactly("oauth_callback_refused|unknown or already used state");
    }

    @Test
    void fails_an_expired_flow_and_stores_nothing() {
        JsonNode started = world.json(world.installOAuth("acme"));
        URI callback = browser.callbackUrl(started);
        store.update("UPDATE pending_oauth_flows SET expires_at = ?", Instant.now().minusSeconds(1));

        HttpResponse<String> page = browser.get(callback);

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("The sign-in to Acme acme took longer than 10 minutes and expired.");
        JsonNode install = world.install(started.path("id").asText());
        assertThat(install.path("status").asText()).isEqualTo("failed");
        assertThat(install.path("statusReason").asText())
                .isEqualTo("The sign-in to Acme acme took longer than 10 minutes and expired. Press Reconnect to try again.");
        assertThat(store.rows("SELECT COUNT(*) FROM connections")).containsExactly("0");
        assertThat(store.rows("SELECT COUNT(*) FROM pending_oauth_flows")).containsExactly("0");
    }

    @Test
    void says_so_when_the_user_denies_consent() {
        JsonNode started = world.json(world.installOAuth("acme"));
        String state = SteppingBrowser.query(URI.create(started.path("authorizationUrl").asText())).get("state");

        HttpResponse<String> page = browser.get(browser.loopbackCallback("error=access_denied&error_description=no&state=" + state));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("You did not allow Latchkey access at Acme acme.");
        JsonNode install = world.install(started.path("id").asText());
        assertThat(install.path("status").asText()).isEqualTo("failed");
        assertThat(install.path("statusReason").asText()).startsWith("You did not allow Latchkey access at Acme acme.");
        assertThat(store.rows("SELECT COUNT(*) FROM connections")).containsExactly("0");
    }

    @Test
    void fails_the_install_when_the_proxy_goes_down_before_the_callback() {
        JsonNode started = world.json(world.installOAuth("acme"));
        URI callback = browser.callbackUrl(started);
        world.stopProxy();

        HttpResponse<String> page = browser.get(callback);

        assertThat(page.statusCode()).isEqualTo(400);
        JsonNode install = world.install(started.path("id").asText());
        assertThat(install.path("status").asText()).isEqualTo("failed");
        assertThat(install.path("statusReason").asText()).isEqualTo("The sign-in could not be finished: the OAuth proxy at "
                + world.proxyUrl() + " refused the connection (is it running?). Press Reconnect to try again.");
        assertThat(store.rows("SELECT COUNT(*) FROM connections")).containsExactly("0");
    }

    @Test
    void fails_the_install_when_the_provider_answers_500() {
        world.strict.mode = StrictProvider.Mode.FAIL_500;
        JsonNode started = world.json(world.installOAuth("strict"));

        HttpResponse<String> page = world.browse(started.path("authorizationUrl").asText());

        assertThat(page.statusCode()).isEqualTo(400);
        JsonNode install = world.install(started.path("id").asText());
        assertThat(install.path("status").asText()).isEqualTo("failed");
        assertThat(install.path("statusReason").asText()).isEqualTo("The sign-in could not be finished: the OAuth proxy "
                + "answered HTTP 502 server_error: strict failed the token request (HTTP 500, server_error). Press Reconnect to try again.");
        assertThat(store.rows("SELECT COUNT(*) FROM connections")).containsExactly("0");
    }

    @Test
    void fails_the_install_when_the_provider_hangs() {
        world.strict.mode = StrictProvider.Mode.HANG;
        JsonNode started = world.json(world.installOAuth("strict"));

        HttpResponse<String> page = world.browse(started.path("authorizationUrl").asText());

        assertThat(page.statusCode()).isEqualTo(400);
        JsonNode install = world.install(started.path("id").asText());
        assertThat(install.path("status").asText()).isEqualTo("failed");
        assertThat(install.path("statusReason").asText()).startsWith("The sign-in could not be finished: the OAuth proxy answered HTTP 504");
        assertThat(store.rows("SELECT COUNT(*) FROM connections")).containsExactly("0");
    }

    @Test
    void completes_a_flow_started_before_the_app_restarted() {
        JsonNode started = world.json(world.installOAuth("acme"));
        URI callback = browser.callbackUrl(started);
        world.stopApp();
        world.startApp();

        HttpResponse<String> page = browser.get(callback);

        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(OAuthWorld.signedIn(world.install(started.path("id").asText()))).as("signed in: %s", world.install(started.path("id").asText())).isTrue();
    }

    @Test
    void fails_cleanly_a_flow_that_expired_while_the_app_was_stopped() throws Exception {
        JsonNode started = world.json(world.installOAuth("acme"));
        String id = started.path("id").asText();
        world.stopApp();
        // Aged while nothing ran: the next start finds the flow dead.
        world.startApp();
        store.update("UPDATE pending_oauth_flows SET expires_at = ?", Instant.now().minusSeconds(1));
        world.backend.oauth().expireFlows();

        JsonNode install = world.install(id);
        assertThat(install.path("status").asText()).isEqualTo("failed");
        assertThat(install.path("statusReason").asText())
                .isEqualTo("The sign-in was not finished within 10 minutes. Press Reconnect to try again.");
        assertThat(store.rows("SELECT COUNT(*) FROM connections")).containsExactly("0");
        assertThat(store.rows("SELECT COUNT(*) FROM secrets")).containsExactly("0");
    }
}
