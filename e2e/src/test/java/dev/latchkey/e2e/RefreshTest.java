package dev.latchkey.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.oauth.TokenRefresher.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refreshing OAuth tokens through the real proxy against the strict provider, which rotates
 * refresh tokens (a used one is dead) and can refuse, fail or be slow.
 */
class RefreshTest extends WithOAuthWorld {

    @BeforeEach
    void setUp() {
        // Within the app's 5-minute margin from the start: every strict connection is due at once.
        world.strict.expiresIn = 60;
    }

    @Test
    void refreshes_an_access_token_that_is_about_to_expire() {
        String id = world.connect("strict");
        String before = accessToken(id);

        List<Outcome> outcomes = world.backend.refresher().refreshDue().join();

        assertThat(outcomes).containsExactly(new Outcome.Refreshed(id));
        assertThat(accessToken(id)).startsWith("strict-at-").isNotEqualTo(before);
        assertThat(OAuthWorld.signedIn(world.install(id))).as("signed in: %s", world.install(id)).isTrue();
        assertThat(store.audit(id)).contains("refreshed|strict by oauth");
        assertThat(world.strict.refreshCalls()).isEqualTo(1);
    }

    @Test
    void keeps_a_rotated_refresh_token_and_the_old_one_when_none_comes_back() {
        String id = world.connect("strict");
        String first = world.credential(id, "refreshToken");

        world.backend.refresher().refreshDue().join();
        String rotated = world.credential(id, "refreshToken");
        world.strict.rotate = false;
        List<Outcome> second = world.backend.refresher().refreshDue().join();
        List<Outcome> third = world.backend.refresher().refreshDue().join();

        assertThat(rotated).isNotEqualTo(first);
        // The strict provider kills a used refresh token: the second refresh works only with the rotated one.
        assertThat(second).containsExactly(new Outcome.Refreshed(id));
        assertThat(world.credential(id, "refreshToken")).isEqualTo(rotated);
        assertThat(third).containsExactly(new Outcome.Refreshed(id));
    }

    @Test
    void refreshes_within_the_margin_the_app_was_started_with_and_not_before() {
        world.strict.expiresIn = 20 * 60;
        String id = world.connect("strict");

        assertThat(world.backend.refresher().refreshDue().join()).as("20 minutes left, 5-minute margin").isEmpty();
        world.stopApp();
        world.startApp(Duration.ofMinutes(30));

        assertThat(world.backend.refresher().refreshDue().join()).containsExactly(new Outcome.Refreshed(id));
    }

    @Test
    void a_refresh_that_ends_after_a_reconnect_keeps_the_reconnects_tokens() throws InterruptedException {
        String id = world.connect("strict");
        world.strict.refreshDelayMillis = 3000;

        CompletableFuture<Outcome> refresh = world.backend.refresher().refresh(id);
        awaitRefreshCalls(1);
        JsonNode reconnect = world.json(world.post("/api/installs/" + id + "/reconnect", "{}"));
        assertThat(world.browse(reconnect.path("authorizationUrl").asText()).statusCode()).isEqualTo(200);
        String reconnected = accessToken(id);

        assertThat(refresh.join()).isEqualTo(new Outcome.Skipped(id));
        assertThat(accessToken(id)).as("the reconnect's token, not the refresh's older grant").isEqualTo(reconnected);
        assertThat(store.audit(id)).contains("reconnected|strict by oauth").doesNotContain("refreshed|strict by oauth");
    }

    @Test
    void an_invalid_grant_that_ends_after_a_reconnect_does_not_mark_the_fresh_sign_in_needs_reauth() throws InterruptedException {
        String id = world.connect("strict");
        world.strict.mode = StrictProvider.Mode.INVALID_GRANT;
        world.strict.refreshDelayMillis = 3000;

        CompletableFuture<Outcome> refresh = world.backend.refresher().refresh(id);
        awaitRefreshCalls(1);
        world.strict.mode = StrictProvider.Mode.NORMAL;
        JsonNode reconnect = world.json(world.post("/api/installs/" + id + "/reconnect", "{}"));
        assertThat(world.browse(reconnect.path("authorizationUrl").asText()).statusCode()).isEqualTo(200);

        assertThat(refresh.join()).isEqualTo(new Outcome.Skipped(id));
        assertThat(world.install(id).path("status").asText()).isNotEqualTo("needs_reauth");
        assertThat(store.audit(id)).contains("reconnected|strict by oauth");
    }

    @Test
    void closing_the_app_lets_a_refresh_under_way_finish_and_store_its_tokens() throws InterruptedException {
        String id = world.connect("strict");
        String before = accessToken(id);
        world.strict.refreshDelayMillis = 1500;

        CompletableFuture<Outcome> refresh = world.backend.refresher().refresh(id);
        awaitRefreshCalls(1);
        world.stopApp();

        assertThat(refresh.join()).isEqualTo(new Outcome.Refreshed(id));
        world.startApp();
        assertThat(accessToken(id)).startsWith("strict-at-").isNotEqualTo(before);
        assertThat(store.audit(id)).contains("refreshed|strict by oauth");
    }

    @Test
    void two_refreshes_that_race_make_one_upstream_call() {
        String id = world.connect("strict");
        world.strict.delayMillis = 500;

        CompletableFuture<Outcome> one = world.backend.refresher().refresh(id);
        CompletableFuture<Outcome> two = world.backend.refresher().refresh(id);

        assertThat(one.join()).isEqualTo(new Outcome.Refreshed(id));
        assertThat(two.join()).isEqualTo(new Outcome.Refreshed(id));
        assertThat(world.strict.refreshCalls()).isEqualTo(1);
    }

    @Test
    void moves_the_install_to_needs_reauth_on_invalid_grant() {
        String id = world.connect("strict");
        world.strict.mode = StrictProvider.Mode.INVALID_GRANT;

        List<Outcome> outcomes = world.backend.refresher().refreshDue().join();

        assertThat(outcomes).hasSize(1).first().isInstanceOf(Outcome.NeedsReauth.class);
        assertThat(world.install(id).path("status").asText()).isEqualTo("needs_reauth");
        assertThat(world.install(id).path("statusReason").asText())
                .isEqualTo("Acme strict no longer accepts the saved sign-in (invalid_grant). Press Reconnect to sign in again.");
        assertThat(world.backend.refresher().refreshDue().join()).as("a needs_reauth install is not retried").isEmpty();
        for (String action : List.of("start", "restart")) {
            var refused = world.post("/api/installs/" + id + "/" + action, "{}");
            assertThat(refused.statusCode()).as(action).isEqualTo(409);
            assertThat(world.json(refused).path("error").asText()).isEqualTo("needs_sign_in");
            assertThat(world.json(refused).path("message").asText())
                    .isEqualTo("E2E strict needs you to sign in again before its server can start: press Reconnect");
        }
        assertThat(world.install(id).path("status").asText()).isEqualTo("needs_reauth");
    }

    @Test
    void retries_a_provider_500_and_then_succeeds() throws Exception {
        String id = world.connect("strict");
        world.strict.mode = StrictProvider.Mode.FAIL_500;
        CompletableFuture<Outcome> refresh = world.backend.refresher().refresh(id);
        Thread.sleep(300);
        world.strict.mode = StrictProvider.Mode.NORMAL;

        assertThat(refresh.join()).isEqualTo(new Outcome.Refreshed(id));
        assertThat(world.strict.refreshCalls()).isEqualTo(2);
        assertThat(OAuthWorld.signedIn(world.install(id))).as("signed in: %s", world.install(id)).isTrue();
    }

    /** Waits until the provider has seen {@code calls} refresh requests (a refresh is under way). */
    private void awaitRefreshCalls(int calls) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (world.strict.refreshCalls() < calls && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(world.strict.refreshCalls()).as("refreshes that reached the provider").isEqualTo(calls);
    }

    private String accessToken(String id) {
        return world.backend.launchSpecs().forInstall(id).env().get("STRICT_ACCESS_TOKEN");
    }
}
