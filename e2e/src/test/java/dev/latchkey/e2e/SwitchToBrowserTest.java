package dev.latchkey.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.login.BrowserLogin;
import dev.latchkey.login.LoginCancel;
import dev.latchkey.login.LoginOutcome;
import dev.latchkey.login.LoginRequest;
import dev.latchkey.login.SessionKey;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching an OAuth install to browser login revokes the old OAuth grant through the real proxy
 * at the real authorization server (mock-oauth2-server), after the browser values are stored; a
 * proxy that is down does not stop the switch. The login window here is a stand-in that signs in
 * at once: the Chromium and JCEF windows have tests of their own, this one is about the tokens.
 */
class SwitchToBrowserTest {

    private static final String SERVER = "e2e__switch";

    @TempDir
    Path dataDir;
    private OAuthWorld world;
    private Store store;

    @BeforeEach
    void start() throws Exception {
        world = new OAuthWorld(dataDir, false);
        writeSwitchableServer();
        world.login = new SignsInAtOnce();
        world.start();
        store = new Store(dataDir);
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void a_switch_to_browser_login_stores_the_session_then_revokes_the_old_grant_at_the_provider() throws Exception {
        String id = connectByOAuth();
        String refreshToken = world.credential(id, "refreshToken");
        assertThat(refreshToken).as("mock-oauth2-server gave a refresh token").isNotBlank();
        drainRecordedRequests();

        assertThat(world.post("/api/installs/" + id + "/switch", "{\"auth\":\"browser\"}").statusCode()).isEqualTo(202);

        List<String> audit = waitForAudit(id, row -> row.startsWith("revoke"));
        assertThat(audit).containsSubsequence("switched|acme-browser by browser", "revoked|acme");
        RecordedRequest revocation = takeRequestTo(world.authServer.revocationEndpointUrl(OAuthWorld.ISSUER).encodedPath());
        assertThat(revocation.getBody().readUtf8()).contains("token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8));
        assertThat(world.credential(id, "session")).isEqualTo("browser-session-value");
        assertThat(world.credential(id, "refreshToken")).isNull();
        assertThat(world.install(id).path("auth").asText()).isEqualTo("browser");
    }

    @Test
    void a_switch_goes_through_when_the_proxy_is_down_and_the_audit_log_says_the_revocation_failed() throws Exception {
        String id = connectByOAuth();
        world.stopProxy();

        assertThat(world.post("/api/installs/" + id + "/switch", "{\"auth\":\"browser\"}").statusCode()).isEqualTo(202);

        List<String> audit = waitForAudit(id, row -> row.startsWith("revoke"));
        assertThat(audit).containsSubsequence("switched|acme-browser by browser", "revoke_failed|acme: the OAuth proxy at "
                + world.proxyUrl() + " refused the connection (is it running?)");
        assertThat(world.credential(id, "session")).isEqualTo("browser-session-value");
        assertThat(world.install(id).path("auth").asText()).isEqualTo("browser");
    }

    @Test
    void an_oauth_sign_in_open_when_the_install_switched_to_browser_login_is_refused_at_its_callback() throws Exception {
        String id = connectByOAuth();
        String pending = world.json(world.post("/api/installs/" + id + "/reconnect", "")).path("authorizationUrl").asText();

        assertThat(world.post("/api/installs/" + id + "/switch", "{\"auth\":\"browser\"}").statusCode()).isEqualTo(202);
        waitForAudit(id, row -> row.startsWith("switched"));

        HttpResponse<String> callback = world.browse(pending);
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(400);
        assertThat(callback.body()).contains("This sign-in link is not valid");
        assertThat(world.credential(id, "session")).isEqualTo("browser-session-value");
        assertThat(world.credential(id, "accessToken")).isNull();
        assertThat(world.install(id).path("auth").asText()).isEqualTo("browser");
    }

    @Test
    void a_switch_back_to_oauth_replaces_the_session_with_the_tokens_only_once_a_sign_in_succeeds() throws Exception {
        String id = connectByOAuth();
        assertThat(world.post("/api/installs/" + id + "/switch", "{\"auth\":\"browser\"}").statusCode()).isEqualTo(202);
        waitForAudit(id, row -> row.startsWith("revoke"));

        // Refused at the provider first: the session stays, and the install says the switch failed.
        String denied = world.json(world.post("/api/installs/" + id + "/switch", "{\"auth\":\"oauth\"}")).path("authorizationUrl").asText();
        String state = SteppingBrowser.query(java.net.URI.create(denied)).get("state");
        assertThat(world.browse("http://127.0.0.1:" + world.appPort + "/oauth/callback?error=access_denied&state=" + state)
                .statusCode()).isEqualTo(400);
        assertThat(world.install(id).path("statusReason").asText()).isEqualTo("Switching to OAuth failed: You did not "
                + "allow Latchkey access at Acme acme. The saved sign-in is kept.");
        assertThat(world.install(id).path("auth").asText()).isEqualTo("browser");

        world.nextSignIn("bob", "bob@example.com");
        HttpResponse<String> switching = world.post("/api/installs/" + id + "/switch", "{\"auth\":\"oauth\"}");
        assertThat(switching.statusCode()).as(switching.body()).isEqualTo(202);
        JsonNode started = world.json(switching);
        assertThat(started.path("signInUrl").asText()).contains("/oauth/go/");
        assertThat(world.credential(id, "session")).as("kept until the sign-in succeeds").isEqualTo("browser-session-value");
        HttpResponse<String> page = world.browse(started.path("authorizationUrl").asText());

        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(world.install(id).path("auth").asText()).isEqualTo("oauth");
        assertThat(world.install(id).path("accountLabel").asText()).isEqualTo("bob@example.com");
        assertThat(world.credential(id, "session")).isNull();
        assertThat(world.credential(id, "accessToken")).isNotBlank();
        assertThat(store.audit(id)).contains("switched|acme by oauth");
    }

    /** Installs {@value SERVER} by OAuth at mock-oauth2-server; answers its id once it is signed in. */
    private String connectByOAuth() {
        world.nextSignIn("alice", "alice@example.com");
        JsonNode started = world.json(world.post("/api/installs",
                "{\"catalogName\": \"" + SERVER + "\", \"auth\": \"oauth\", \"userConfig\": {}}"));
        HttpResponse<String> page = world.browse(started.path("authorizationUrl").asText());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return started.path("id").asText();
    }

    private List<String> waitForAudit(String id, java.util.function.Predicate<String> row) throws InterruptedException {
        return waitFor(() -> store.audit(id), rows -> rows.stream().anyMatch(row), "an audit row of install " + id);
    }

    /** The requests mock-oauth2-server has seen so far (the sign-in's) are not the revocation. */
    private void drainRecordedRequests() {
        while (nextRequest(50) != null) {
            // discard
        }
    }

    private RecordedRequest takeRequestTo(String path) {
        for (RecordedRequest request; (request = nextRequest(5_000)) != null; ) {
            if (path.equals(request.getPath())) {
                return request;
            }
        }
        throw new AssertionError("mock-oauth2-server received no request to " + path);
    }

    /** The next request mock-oauth2-server received, or null when none comes within {@code millis}. */
    private RecordedRequest nextRequest(long millis) {
        try {
            return world.authServer.takeRequest(millis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return null; // it throws when none came in time
        }
    }

    private static <T> T waitFor(Supplier<T> read, java.util.function.Predicate<T> done, String what)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        T value = read.get();
        while (!done.test(value)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited 30 s for " + what + "; last seen " + value);
            }
            Thread.sleep(50);
            value = read.get();
        }
        return value;
    }

    /** A server that signs in by OAuth at {@code acme} or by browser login at {@code acme-browser}. */
    private void writeSwitchableServer() throws Exception {
        Files.writeString(dataDir.resolve("providers/acme-browser.json"), """
                {"name": "acme-browser", "displayName": "Acme (browser login)",
                 "browserAuth": {"loginUrl": "https://acme.example/login", "allowedHosts": ["acme.example"],
                   "readyWhen": "^https://acme\\\\.example/home", "extract": {"session": {"cookie": "sid", "domain": "acme.example"}}},
                 "tokenEnvVarPattern": {"session": "ACME_SESSION"}}
                """);
        String oauthServer = Files.readString(dataDir.resolve("catalog/e2e__acme.json"));
        Files.writeString(dataDir.resolve("catalog/" + SERVER + ".json"), oauthServer
                .replace("\"e2e__acme\"", "\"" + SERVER + "\"")
                .replace("{\"oauth\": {\"provider\": \"acme\", \"required\": true}}",
                        "{\"oauth\": {\"provider\": \"acme\", \"required\": true}, \"browser_based\": {\"provider\": \"acme-browser\"}}"));
    }

    /** The login window's stand-in: the user signs in at once and the session value is read. */
    private static final class SignsInAtOnce implements BrowserLogin {

        @Override
        public LoginOutcome signIn(LoginRequest request, LoginCancel cancel) {
            return new LoginOutcome.Extracted(Map.of("session", "browser-session-value"), null);
        }

        @Override
        public void forget(SessionKey session) {
        }
    }
}
