package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.InstallWait;
import dev.latchkey.oauth.TokenRefresher.Outcome;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registration step (a), whole: a remote server whose authorization server offers no dynamic
 * registration signs in as the app the OAuth proxy holds for that issuer; the code exchange, the
 * refresh and the revocation go through the proxy, which adds the secret; the app never has it.
 * And when the proxy is down, fails or hangs: one sentence, nothing stored lost.
 */
class ProxiedSignInTest {

    @TempDir
    Path dataDir;
    private ProxiedWorld world;

    @BeforeEach
    void build() throws Exception {
        world = new ProxiedWorld(dataDir);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void signs_in_as_the_proxys_app_and_exchanges_refreshes_and_revokes_through_the_proxy() throws Exception {
        world.start();
        String id = signIn();
        JsonNode running = InstallWait.until(() -> world.api.install(id), "running");
        assertThat(running.get("statusReason").asText()).contains("echo");
        String resource = "resource=" + AuthHttp.encode(world.site.url("/mcp").toString());
        List<RecordedRequest> signIn = world.heardAtTheAuthorizationServer();
        assertThat(signIn).filteredOn(r -> r.getPath().startsWith("/default/authorize")).singleElement()
                .satisfies(r -> assertThat(r.getPath()).contains("client_id=" + ProxiedWorld.CLIENT_ID,
                        "code_challenge_method=S256", resource));
        assertThat(tokenRequests(signIn)).singleElement().satisfies(body -> assertThat(body).contains(
                "grant_type=authorization_code", "code_verifier=", resource, "client_secret=" + ProxiedWorld.CLIENT_SECRET));

        assertThat(world.backend.refresher().refreshDue().join()).containsExactly(new Outcome.Refreshed(id));
        assertThat(tokenRequests(world.heardAtTheAuthorizationServer())).singleElement().satisfies(body -> assertThat(body)
                .contains("grant_type=refresh_token", resource, "client_secret=" + ProxiedWorld.CLIENT_SECRET));

        assertThat(world.api.delete("/api/installs/" + id).statusCode()).isEqualTo(204);
        assertThat(world.heardAtTheAuthorizationServer()).filteredOn(r -> r.getPath().equals("/default/revoke"))
                .singleElement().satisfies(r -> assertThat(r.getBody().readUtf8()).contains("token_type_hint=refresh_token",
                        "client_secret=" + ProxiedWorld.CLIENT_SECRET));
        assertThat(anyFileHolds(dataDir, ProxiedWorld.CLIENT_SECRET)).as("the secret never reaches the app").isFalse();
    }

    @Test
    void a_proxy_that_is_down_at_the_refresh_leaves_the_saved_sign_in_as_it_was() throws Exception {
        world.start();
        String id = signIn();
        InstallWait.until(() -> world.api.install(id), "running");
        world.stopProxy();

        List<Outcome> outcomes = world.backend.refresher().refreshDue().join();

        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) outcomes.get(0)).reason()).startsWith("the OAuth proxy at " + world.proxyUrl()
                + "/oauth/token could not be reached");
        assertThat(world.api.install(id).get("status").asText()).isEqualTo("running");
        world.startProxy(world.tokenEndpoint());
        assertThat(world.backend.refresher().refreshDue().join()).containsExactly(new Outcome.Refreshed(id));
    }

    @Test
    void a_proxy_that_goes_away_before_the_callback_fails_the_install_with_a_sentence_naming_it() throws Exception {
        world.start();
        JsonNode started = world.addByUrl("Proxied");
        world.stopProxy();

        HttpResponse<String> page = world.browse(started.get("signInUrl").asText());

        assertThat(page.statusCode()).isEqualTo(400);
        JsonNode install = world.api.install(started.get("id").asText());
        assertThat(install.get("status").asText()).isEqualTo("failed");
        assertThat(install.get("statusReason").asText()).startsWith("The OAuth proxy at " + world.proxyUrl()
                + "/oauth/token could not be reached (ConnectException).");
    }

    @Test
    void a_token_endpoint_that_fails_or_hangs_behind_the_proxy_is_named_in_one_sentence() throws Exception {
        world.site.on("/broken-token", FakeSite.Answer.status(500, "{}"));
        world.start(world.site.url("/broken-token").toString());
        assertThat(signInFailure("Failing")).isEqualTo("The OAuth proxy at " + world.proxyUrl() + " could not finish the sign-in "
                + "(HTTP 502: server_error: acme failed the token request (HTTP 500)); try again later. Press Reconnect to try again.");

        world.site.on("/broken-token", new FakeSite.Answer(200, java.util.Map.of(), "{}", 10_000));
        assertThat(signInFailure("Hanging")).startsWith("The OAuth proxy at " + world.proxyUrl() + " could not finish the sign-in "
                + "(HTTP 504: temporarily_unavailable: ");
    }

    private String signInFailure(String name) throws Exception {
        JsonNode started = world.addByUrl(name);
        assertThat(world.browse(started.get("signInUrl").asText()).statusCode()).isEqualTo(400);
        JsonNode install = world.api.install(started.get("id").asText());
        assertThat(install.get("status").asText()).isEqualTo("failed");
        assertThat(world.api.get("/api/installs").body()).doesNotContain(ProxiedWorld.CLIENT_SECRET);
        return install.get("statusReason").asText();
    }

    /** Installs by URL and follows the one-time sign-in link; answers the install's id. */
    private String signIn() throws Exception {
        JsonNode started = world.addByUrl("Proxied");
        assertThat(started.get("status").asText()).as("%s", started).isEqualTo("pending_auth");
        HttpResponse<String> page = world.browse(started.get("signInUrl").asText());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return started.get("id").asText();
    }

    private static List<String> tokenRequests(List<RecordedRequest> heard) {
        return heard.stream().filter(r -> r.getPath().equals("/default/token")).map(r -> r.getBody().readUtf8()).toList();
    }

    private static boolean anyFileHolds(Path dir, String text) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text);
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }
    }
}
