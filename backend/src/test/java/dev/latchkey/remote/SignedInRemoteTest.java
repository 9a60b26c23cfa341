package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.api.ApiClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote server that asks for a sign-in, installed by URL in the running app: the real
 * server-everything behind a resource server that takes only the tokens a local authorization
 * server issued (dynamic registration, auto-approving, refresh, revocation). The sign-in goes
 * through the app's one-time link and its loopback callback; the install runs; the refresher
 * refreshes at the remote server's own token endpoint with the resource; {@code invalid_grant}
 * makes it {@code needs_reauth}; uninstall revokes.
 */
class SignedInRemoteTest {

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicReference<String> refreshAnswer = new AtomicReference<>();
    private EverythingOverHttp everything;
    private FakeSite site;
    private Backend backend;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        everything = EverythingOverHttp.start("streamableHttp");
        site = new FakeSite();
        String o = site.url("").toString();
        site.on("/.well-known/oauth-protected-resource/mcp", FakeSite.Answer.json(
                "{\"resource\":\"" + o + "/mcp\",\"authorization_servers\":[\"" + o + "\"],\"scopes_supported\":[\"mcp\"]}"));
        site.on("/.well-known/oauth-authorization-server", FakeSite.Answer.json("{\"issuer\":\"" + o + "\","
                + "\"authorization_endpoint\":\"" + o + "/authorize\",\"token_endpoint\":\"" + o + "/token\","
                + "\"registration_endpoint\":\"" + o + "/register\",\"revocation_endpoint\":\"" + o + "/revoke\","
                + "\"authorization_response_iss_parameter_supported\":true,\"code_challenge_methods_supported\":[\"S256\"]}"));
        site.on("/register", FakeSite.Answer.status(201, "{\"client_id\":\"latchkey-1\"}"));
        site.on("/authorize", (method, query, body) -> {
            Map<String, String> params = LoopbackCallback.query(query);
            return new FakeSite.Answer(302, Map.of("Location", params.get("redirect_uri") + "?code=c-1&state="
                    + AuthHttp.encode(params.get("state")) + "&iss=" + AuthHttp.encode(o)), "", 0);
        });
        site.on("/token", (method, query, body) -> {
            if (body.contains("grant_type=refresh_token") && refreshAnswer.get() != null) {
                return FakeSite.Answer.status(400, refreshAnswer.get());
            }
            String token = "tok-" + counter.incrementAndGet();
            issued.add(token);
            return FakeSite.Answer.json("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":60,"
                    + "\"refresh_token\":\"ref-" + counter.get() + "\"}");
        });
        site.on("/revoke", FakeSite.Answer.status(200, ""));
        site.onRaw("/mcp", new GuardedRelay(everything.url(), () -> issued,
                site.url("/.well-known/oauth-protected-resource/mcp")));
        backend = Backend.start(AppConfig.of(dataDir));
        api = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        backend.close();
        site.close();
        everything.close();
    }

    @Test
    void signs_in_through_the_loopback_callback_runs_refreshes_with_the_resource_and_revokes_on_uninstall() throws Exception {
        String id = signIn();
        JsonNode running = InstallWait.until(() -> api.install(id), "running");
        assertThat(running.get("statusReason").asText()).contains("echo");
        String resource = "resource=" + AuthHttp.encode(site.url("/mcp").toString());
        assertThat(site.heard).filteredOn(h -> h.path().equals("/authorize")).singleElement()
                .satisfies(h -> assertThat(h.query()).contains(resource, "code_challenge_method=S256", "scope=mcp"));
        assertThat(site.heard).filteredOn(h -> h.path().equals("/token")).singleElement()
                .satisfies(h -> assertThat(h.body()).contains("grant_type=authorization_code", "code_verifier=", resource));
        // The vault seals the tokens: the database file holds neither of them as text.
        assertThat(new String(Files.readAllBytes(dataDir.resolve("latchkey.mv.db")), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("tok-1", "ref-1");

        backend.refresher().refreshDue().join();
        assertThat(site.heard).filteredOn(h -> h.path().equals("/token") && h.body().contains("refresh_token=ref-1"))
                .singleElement().satisfies(h -> assertThat(h.body()).contains(resource, "client_id=latchkey-1"));

        assertThat(api.delete("/api/installs/" + id).statusCode()).isEqualTo(204);
        assertThat(site.heard).filteredOn(h -> h.path().equals("/revoke")).singleElement()
                .satisfies(h -> assertThat(h.body()).contains("token=ref-2", "token_type_hint=refresh_token"));
    }

    @Test
    void a_refresh_refused_with_invalid_grant_leaves_the_install_needing_a_sign_in() throws Exception {
        String id = signIn();
        InstallWait.until(() -> api.install(id), "running");
        refreshAnswer.set("{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}");
        backend.refresher().refreshDue().join();
        JsonNode install = InstallWait.until(() -> api.install(id), "needs_reauth", "running");
        assertThat(install.get("statusReason").asText()).contains("invalid_grant", "Press Reconnect");
    }

    /** Installs the server by URL and follows its one-time sign-in link as a browser would. */
    private String signIn() throws Exception {
        HttpResponse<String> created = api.post("/api/installs",
                json.writeValueAsString(Map.of("remoteUrl", site.url("/mcp").toString(), "displayName", "Guarded")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = json.readTree(created.body());
        assertThat(body.get("status").asText()).isEqualTo("pending_auth");
        HttpResponse<String> page = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(
                HttpRequest.newBuilder(URI.create(body.get("signInUrl").asText())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return body.get("id").asText();
    }
}
