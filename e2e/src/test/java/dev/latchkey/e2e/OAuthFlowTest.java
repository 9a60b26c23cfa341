package dev.latchkey.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.AppConfig;
import dev.latchkey.Doctor;
import dev.latchkey.launch.LaunchSpec;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OAuth install from start to stored tokens, over HTTP, with the real proxy and a real
 * authorization server: the good path, and every way a callback can go wrong.
 */
class OAuthFlowTest {

    @TempDir
    java.nio.file.Path dataDir;
    private OAuthWorld world;
    private Store store;
    /** A browser that stops at each redirect, to hold a callback URL in hand. */
    private final HttpClient stepping = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        world = new OAuthWorld(dataDir, false).start();
        store = new Store(dataDir);
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void starts_a_flow_with_pkce_s256_and_a_256_bit_state_stored_only_as_its_hash() throws Exception {
        HttpResponse<String> response = world.installOAuth("acme");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode install = world.json(response);
        assertThat(install.path("status").asText()).isEqualTo("pending_auth");
        URI url = URI.create(install.path("authorizationUrl").asText());
        Map<String, String> query = query(url);
        assertThat(url.toString()).startsWith(OAuthWorld.loopback(world.authServer.authorizationEndpointUrl("default").toString()) + "?");
        assertThat(query).containsEntry("response_type", "code")
                .containsEntry("client_id", OAuthWorld.CLIENT_ID)
                .containsEntry("redirect_uri", "http://127.0.0.1:" + world.appPort + "/oauth/callback")
                .containsEntry("scope", "openid email")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("access_type", "offline");
        assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        String state = query.get("state");
        assertThat(state).matches(world.appPort + "\\.[A-Za-z0-9_-]{43}");
        List<String> flows = store.rows("SELECT state_hash, install_id, provider, LENGTH(sealed_verifier) > 43, "
                + "DATEDIFF('SECOND', created_at, expires_at) FROM pending_oauth_flows");
        assertThat(flows).containsExactly(sha256(state) + "|" + install.path("id").asText() + "|acme|true|600");
        assertThat(Files.readAllBytes(dataDir.resolve("latchkey.mv.db")))
                .asString(StandardCharsets.ISO_8859_1).doesNotContain(state);
    }

    @Test
    void connects_through_the_proxy_and_keeps_the_token_in_the_vault_and_the_launch_spec_only() throws Exception {
        world.nextSignIn("alice", "alice@example.com");
        JsonNode started = world.json(world.installOAuth("acme"));

        HttpResponse<String> page = world.browse(started.path("authorizationUrl").asText());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("E2E acme is connected as alice@example.com.");
        String id = started.path("id").asText();
        JsonNode install = world.install(id);
        assertThat(OAuthWorld.signedIn(install)).as("signed in: %s", install).isTrue();
        assertThat(install.path("accountLabel").asText()).isEqualTo("alice@example.com");
        assertThat(install.path("provider").asText()).isEqualTo("acme");
        LaunchSpec spec = world.backend.launchSpecs().forInstall(id);
        String token = spec.env().get("ACME_ACCESS_TOKEN");
        assertThat(token).isNotBlank();
        assertThat(spec.env()).containsEntry("API_BASE", "https://api.example");
        assertThat(world.json(world.get("/api/installs/" + id + "/launch")).path("env").toString())
                .isEqualTo("[\"ACME_ACCESS_TOKEN\",\"API_BASE\"]");
        for (String path : List.of("/api/installs", "/api/installs/" + id + "/launch", "/api/oauth", "/api/providers")) {
            assertThat(world.get(path).body()).as(path).doesNotContain(token);
        }
        assertThat(store.rows("SELECT expires_at > CURRENT_TIMESTAMP FROM connections")).containsExactly("true");
        assertThat(store.rows("SELECT COUNT(*) FROM pending_oauth_flows")).containsExactly("0");
        assertThat(store.audit(id)).contains("oauth_started|acme, redirect loopback", "connected|acme by oauth");
        world.stopApp();
        assertThat(Files.readAllBytes(dataDir.resolve("latchkey.mv.db"))).asString(StandardCharsets.ISO_8859_1)
                .doesNotContain(token).doesNotContain(token.substring(20, 60));
    }

    @Test
    void refuses_a_tampered_state_and_stores_nothing() {
        JsonNode started = world.json(world.installOAuth("acme"));
        URI callback = callbackUrl(started);
        String state = query(callback).get("state");
        String tampered = state.substring(0, state.length() - 1) + (state.endsWith("A") ? "B" : "A");

        HttpResponse<String> page = get(loopbackCallback("code=" + query(callback).get("code") + "&state=" + tampered));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("This sign-in link is not valid");
        assertThat(world.install(started.path("id").asText()).path("status").asText()).isEqualTo("pending_auth");
        assertThat(store.rows("SELECT COUNT(*) FROM connections")).containsExactly("0");
        assertThat(store.rows("SELECT COUNT(*) FROM pending_oauth_flows")).containsExactly("1");
    }

    @Test
    void refuses_a_replayed_callback_and_keeps_the_first_connection() {
        JsonNode started = world.json(world.installOAuth("acme"));
        URI callback = callbackUrl(started);
        String id = started.path("id").asText();

        HttpResponse<String> first = get(callback);
        String token = world.backend.launchSpecs().forInstall(id).env().get("ACME_ACCESS_TOKEN");
        HttpResponse<String> replay = get(callback);

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
        URI callback = callbackUrl(started);
        store.update("UPDATE pending_oauth_flows SET expires_at = ?", Instant.now().minusSeconds(1));

        HttpResponse<String> page = get(callback);

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
        String state = query(URI.create(started.path("authorizationUrl").asText())).get("state");

        HttpResponse<String> page = get(loopbackCallback("error=access_denied&error_description=no&state=" + state));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("You did not allow Latchkey access at Acme acme.");
        JsonNode install = world.install(started.path("id").asText());
        assertThat(install.path("status").asText()).isEqualTo("failed");
        assertThat(install.path("statusReason").asText()).startsWith("You did not allow Latchkey access at Acme acme.");
        assertThat(store.rows("SELECT COUNT(*) FROM connections")).containsExactly("0");
    }

    @Test
    void refuses_to_start_without_a_proxy_and_says_how_to_get_one() {
        world.stopProxy();

        HttpResponse<String> response = world.installOAuth("acme");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode error = world.json(response);
        assertThat(error.path("error").asText()).isEqualTo("proxy_unavailable");
        assertThat(error.path("message").asText()).startsWith("the OAuth proxy at " + world.proxyUrl()
                + " refused the connection (is it running?). Start one with `./latchkey proxy`");
        assertThat(world.json(world.get("/api/installs")).path("installs")).isEmpty();
        JsonNode status = world.json(world.get("/api/oauth"));
        assertThat(status.path("reachable").asBoolean()).isFalse();
        assertThat(status.path("providers").path("acme").asText()).isEqualTo("unknown");
    }

    @Test
    void fails_the_install_when_the_proxy_goes_down_before_the_callback() {
        JsonNode started = world.json(world.installOAuth("acme"));
        URI callback = callbackUrl(started);
        world.stopProxy();

        HttpResponse<String> page = get(callback);

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
    void refuses_a_provider_the_proxy_does_not_serve_with_a_4xx() {
        HttpResponse<String> response = world.installOAuth("nowhere");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(world.json(response).path("error").asText()).isEqualTo("provider_not_configured");
        assertThat(world.json(response).path("message").asText()).isEqualTo("Acme nowhere is not configured on the OAuth proxy at "
                + world.proxyUrl() + ": set NOWHERE_CLIENT_ID and _CLIENT_SECRET there");
        assertThat(world.json(world.get("/api/installs")).path("installs")).isEmpty();
        JsonNode status = world.json(world.get("/api/oauth"));
        assertThat(status.path("reachable").asBoolean()).isTrue();
        assertThat(status.path("providers").path("nowhere").asText()).isEqualTo("not_configured");
        assertThat(status.path("providers").path("acme").asText()).isEqualTo("ready");
        assertThat(status.path("providers").path("slack").asText()).isEqualTo("not_configured");
    }

    @Test
    void doctor_names_the_catalog_providers_the_proxy_does_not_serve_and_a_proxy_that_is_down() {
        AppConfig config = new AppConfig(dataDir, 0, URI.create(world.proxyUrl()));

        List<String> report = Doctor.oauth(config);

        assertThat(report.get(0)).matches("OAuth proxy at " + world.proxyUrl()
                + ": serves 3 of the \\d+ OAuth providers the catalog needs");
        assertThat(report).contains("OAuth provider \"nowhere\" is not configured on the OAuth proxy at " + world.proxyUrl()
                + " (set NOWHERE_CLIENT_ID and _CLIENT_SECRET there); needed by e2e__nowhere");
        assertThat(report).noneMatch(line -> line.contains("\"acme\"") || line.contains("\"strict\""));

        world.stopProxy();
        List<String> down = Doctor.oauth(config);

        assertThat(down.get(0)).isEqualTo("OAuth proxy at " + world.proxyUrl() + ": not reachable");
        assertThat(down.get(1)).startsWith("the OAuth proxy at " + world.proxyUrl()
                + " refused the connection (is it running?). Start one with `./latchkey proxy`");
    }

    @Test
    void uses_the_client_id_the_proxy_gives_and_a_strict_provider_accepts_the_pkce_exchange() {
        world.strict.mode = StrictProvider.Mode.NORMAL;

        String id = world.connect("strict");

        assertThat(OAuthWorld.signedIn(world.install(id))).as("signed in: %s", world.install(id)).isTrue();
        assertThat(world.backend.launchSpecs().forInstall(id).env().get("STRICT_ACCESS_TOKEN")).startsWith("strict-at-");
    }

    @Test
    void finishes_through_the_proxy_relay_page_for_a_provider_that_needs_https() {
        JsonNode started = world.json(world.installOAuth("acme-relay"));
        assertThat(query(URI.create(started.path("authorizationUrl").asText())))
                .containsEntry("redirect_uri", world.proxyUrl() + "/oauth/callback/acme-relay");

        HttpResponse<String> page = world.browse(started.path("authorizationUrl").asText());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.uri().toString()).startsWith("http://127.0.0.1:" + world.appPort + "/oauth/callback?");
        assertThat(OAuthWorld.signedIn(world.install(started.path("id").asText()))).as("signed in: %s", world.install(started.path("id").asText())).isTrue();
    }

    @Test
    void completes_a_flow_started_before_the_app_restarted() {
        JsonNode started = world.json(world.installOAuth("acme"));
        URI callback = callbackUrl(started);
        world.stopApp();
        world.startApp();

        HttpResponse<String> page = get(callback);

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

    // --- helpers ---

    /** Signs in at the authorization server and stops before the callback: its URL, code and state in hand. */
    private URI callbackUrl(JsonNode started) {
        HttpResponse<String> redirect = get(URI.create(started.path("authorizationUrl").asText()));
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        return URI.create(redirect.headers().firstValue("Location").orElseThrow());
    }

    private URI loopbackCallback(String query) {
        return URI.create("http://127.0.0.1:" + world.appPort + "/oauth/callback?" + query);
    }

    private HttpResponse<String> get(URI url) {
        try {
            return stepping.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> query(URI url) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
    }
}
