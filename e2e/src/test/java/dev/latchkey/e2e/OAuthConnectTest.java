package dev.latchkey.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.AppConfig;
import dev.latchkey.Doctor;
import dev.latchkey.launch.LaunchSpec;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An OAuth install from start to stored tokens, over HTTP, with the real proxy and a real
 * authorization server: the flow it starts, the good path (loopback and through the proxy relay),
 * what it refuses to start, and what the doctor says about the proxy.
 */
class OAuthConnectTest extends WithOAuthWorld {

    @Test
    void starts_a_flow_with_pkce_s256_and_a_256_bit_state_stored_only_as_its_hash() throws Exception {
        HttpResponse<String> response = world.installOAuth("acme");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode install = world.json(response);
        assertThat(install.path("status").asText()).isEqualTo("pending_auth");
        URI url = URI.create(install.path("authorizationUrl").asText());
        Map<String, String> query = SteppingBrowser.query(url);
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
        assertThat(flows).containsExactly(SteppingBrowser.sha256(state) + "|" + install.path("id").asText() + "|acme|true|600");
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
        assertThat(SteppingBrowser.query(URI.create(started.path("authorizationUrl").asText())))
                .containsEntry("redirect_uri", world.proxyUrl() + "/oauth/callback/acme-relay");

        HttpResponse<String> page = world.browse(started.path("authorizationUrl").asText());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.uri().toString()).startsWith("http://127.0.0.1:" + world.appPort + "/oauth/callback?");
        assertThat(OAuthWorld.signedIn(world.install(started.path("id").asText()))).as("signed in: %s", world.install(started.path("id").asText())).isTrue();
    }
}
