package dev.latchkey.browser.chromium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.browser.SessionFolders;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.launch.LaunchSpec;
import dev.latchkey.launch.LaunchSpecs;
import dev.latchkey.provider.ProviderRegistry;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browser-login installs through the real API, the real H2 file and the Chromium login window on
 * the local Slack stand-in: what the user sees at each step, and what ends up stored.
 */
class BrowserInstallTest {

    private static final String SLACK = "korotovsky__slack-mcp-server";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path temp;

    private static ServiceSites sites;
    /** The backend's session checks reach the stand-in for slack.com through it. */
    private static Tunnel tunnel;

    @TempDir
    Path dataDir;
    private ChromiumLogin login;

    @BeforeAll
    static void startSites() throws Exception {
        sites = ServiceSites.start(temp);
        tunnel = Tunnel.to(sites.port());
    }

    @AfterAll
    static void stopSites() throws Exception {
        tunnel.close();
        sites.close();
    }

    @Test
    void a_browser_install_waits_for_the_sign_in_then_is_connected_and_only_the_launch_spec_holds_the_values() throws Exception {
        String id;
        try (Backend backend = start()) {
            JsonNode install = post(backend, "/api/installs", "{\"catalogName\":\"" + SLACK + "\",\"auth\":\"browser\",\"userConfig\":{}}", 201);
            id = install.get("id").asText();
            assertThat(install.get("status").asText()).isEqualTo("pending_auth");

            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "ann@example.com", ServiceSites.PASSWORD);
                String listing = waitForSignedIn(backend, id);
                assertThat(listing).doesNotContain("xoxc-", "xoxd-");
                assertThat(listing).contains("\"provider\":\"slack-browser\"");
                // named by Slack's session check, asked at slack.com (the stand-in) when the values were read
                assertThat(install(backend, id).get("accountLabel").asText()).isEqualTo("second · annexamplecom");
                assertThat(tunnel.asked()).contains("CONNECT slack.com:443 HTTP/1.1");
            }
        }
        LaunchSpec spec = withStore(store -> launchSpecs(store).forInstall(id));
        assertThat(spec.env()).containsEntry("SLACK_MCP_XOXC_TOKEN", "xoxc-222-second-team")
                .containsEntry("SLACK_MCP_XOXD_TOKEN", "xoxd-annexamplecom%2Fsecret%3D");
    }

    @Test
    void a_wrong_password_and_a_closed_window_store_nothing_and_say_so() throws Exception {
        String id;
        try (Backend backend = start()) {
            id = post(backend, "/api/installs", "{\"catalogName\":\"" + SLACK + "\",\"auth\":\"browser\"}", 201)
                    .get("id").asText();
            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "ann@example.com", "wrong");
                window.waitUntil(() -> window.text("error").equals("Wrong password"), "the error");
                assertThat(status(backend, id)).isEqualTo("pending_auth");
                window.closeWindow();
                String listing = waitForStatus(backend, id, "failed");
                assertThat(listing).contains("Sign-in did not finish: the login window was closed. Nothing was stored.");
            }
        }
        Optional<Credentials> stored = withStore(store -> store.credentials(id));
        assertThat(stored).isEmpty();
    }

    @Test
    void switching_from_oauth_replaces_the_tokens_only_once_the_browser_sign_in_succeeded() throws Exception {
        String id = withStore(store -> {
            Instant now = Instant.now();
            // stopped: the MCP runtime leaves it alone, so only the switch writes its reason
            Install install = new Install("switch-1", SLACK, "Slack", AuthMethod.OAUTH, null, InstallStatus.STOPPED,
                    "Stopped.", null, Map.of(), now, now);
            store.insert(install, Map.of(), Map.of());
            store.saveCredentials(install.id(), new Credentials("slack", AuthMethod.OAUTH,
                    Map.of("accessToken", "xoxp-old-oauth"), null, null), "connected");
            return install.id();
        });
        try (Backend backend = start()) {
            post(backend, "/api/installs/" + id + "/switch", "{\"auth\":\"browser\"}", 202);
            try (LoginWindowDriver window = attach(id)) {
                window.closeWindow();
                String listing = waitForReason(backend, id, "Switching to browser login did not finish");
                assertThat(listing).contains("The current connection is unchanged.");
            }
        }
        assertThat(withStore(store -> store.credentials(id)).orElseThrow().values()).containsEntry("accessToken", "xoxp-old-oauth");

        // The first window's DevTools port file is still in the profile; the next Chromium writes its own.
        Files.deleteIfExists(SessionFolders.under(dataDir).root().resolve("slack-browser").resolve(id).resolve("DevToolsActivePort"));
        try (Backend backend = start()) {
            post(backend, "/api/installs/" + id + "/switch", "{\"auth\":\"browser\"}", 202);
            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "bob@example.com", ServiceSites.PASSWORD);
                // connected before and after (and the runtime restarts the server): the provider tells the switch is done
                waitForReason(backend, id, "\"provider\":\"slack-browser\"");
            }
        }
        Credentials now = withStore(store -> store.credentials(id)).orElseThrow();
        assertThat(now.provider()).isEqualTo("slack-browser");
        assertThat(now.values()).containsOnlyKeys("token", "cookie").containsEntry("cookie", "xoxd-bobexamplecom%2Fsecret%3D");
        assertThat(withStore(store -> store.find(id)).orElseThrow().auth()).isEqualTo(AuthMethod.BROWSER);
    }

    @Test
    void an_expired_session_needs_a_relogin_which_one_click_brings_back_from_the_kept_session() throws Exception {
        String id;
        try (Backend backend = start()) {
            id = post(backend, "/api/installs", "{\"catalogName\":\"" + SLACK + "\",\"auth\":\"browser\"}", 201).get("id").asText();
            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "ann@example.com", ServiceSites.PASSWORD);
                waitForSignedIn(backend, id);
            }
        }
        withStore(store -> {
            Credentials stored = store.credentials(id).orElseThrow();
            store.saveCredentials(id, new Credentials(stored.provider(), stored.method(), stored.values(),
                    Instant.now().minusSeconds(60), null), "refreshed");
            return null;
        });
        try (Backend backend = start()) {
            String listing = waitForStatus(backend, id, "needs_relogin");
            assertThat(listing).contains("session ended on");

            post(backend, "/api/installs/" + id + "/relogin", "", 202);
            // The kept session is still signed in at the stand-in: the window reaches the dashboard by itself.
            waitForSignedIn(backend, id);
        }
        assertThat(withStore(store -> store.credentials(id)).orElseThrow().expiresAt()).isAfter(Instant.now());
    }

    @Test
    void a_session_the_provider_refuses_needs_a_relogin_but_a_check_that_cannot_reach_it_changes_nothing() throws Exception {
        try (Backend backend = start()) {
            String id = post(backend, "/api/installs", "{\"catalogName\":\"" + SLACK + "\",\"auth\":\"browser\"}", 201)
                    .get("id").asText();
            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "carol@example.com", ServiceSites.PASSWORD);
                waitForSignedIn(backend, id);
            }

            tunnel.down(true);
            JsonNode unreachable;
            try {
                unreachable = post(backend, "/api/installs/" + id + "/session-check", "", 200);
            } finally {
                tunnel.down(false);
            }
            assertThat(tunnel.refused()).as("the check went out and found no way through").isPositive();
            assertThat(unreachable.get("status").asText()).isNotEqualTo("needs_relogin");

            sites.endSession("carol@example.com");
            JsonNode refused = post(backend, "/api/installs/" + id + "/session-check", "", 200);
            assertThat(refused.get("status").asText()).isEqualTo("needs_relogin");
            assertThat(refused.get("statusReason").asText()).isEqualTo("The Slack session no longer works (slack.com "
                    + "refused the session: its answer had \"ok\": false instead of true): sign in again.");
        }
    }

    /** A window that gave values closes in the background; the temporary folders go only after it has. */
    @AfterEach
    void waitForClosingWindows() {
        if (login != null) {
            login.close();
        }
    }

    private Backend start() throws Exception {
        login = new ChromiumLogin(SessionFolders.under(dataDir), sites.switches(), true, Clock.systemUTC());
        // No OAuth proxy listens on the discard port: a switch's revocation fails there, never reaching a real one.
        return Backend.start(new AppConfig(dataDir, 0, URI.create("http://127.0.0.1:9")), login, sites.sessionChecks(tunnel));
    }

    private static JsonNode install(Backend backend, String id) throws Exception {
        for (JsonNode install : JSON.readTree(listing(backend)).get("installs")) {
            if (install.get("id").asText().equals(id)) {
                return install;
            }
        }
        throw new AssertionError("no install " + id + " in " + listing(backend));
    }

    private LoginWindowDriver attach(String installId) throws Exception {
        return LoginWindowDriver.attach(SessionFolders.under(dataDir).root().resolve("slack-browser").resolve(installId), "slack.com");
    }

    private static void signIn(LoginWindowDriver window, String email, String password) {
        window.type("email", email);
        window.type("password", password);
        window.click("submit");
    }

    private <T> T withStore(Function<InstallStore, T> work) {
        try (Database database = Database.open(dataDir)) {
            return work.apply(new InstallStore(database, SecretVault.open(dataDir), JSON, Clock.systemUTC()));
        }
    }

    private LaunchSpecs launchSpecs(InstallStore store) {
        AppConfig config = AppConfig.of(dataDir);
        return new LaunchSpecs(Catalog.load(config.userCatalogDir()), ProviderRegistry.load(config.userProvidersDir()),
                store, config::installDir);
    }

    private static JsonNode post(Backend backend, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request(backend, path)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private static String listing(Backend backend) throws Exception {
        return HTTP.send(request(backend, "/api/installs").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String status(Backend backend, String id) throws Exception {
        for (JsonNode install : JSON.readTree(listing(backend)).get("installs")) {
            if (install.get("id").asText().equals(id)) {
                return install.get("status").asText();
            }
        }
        return "gone";
    }

    private static String waitForStatus(Backend backend, String id, String status) throws Exception {
        return waitFor(backend, () -> status(backend, id).equals(status), "install " + id + " to be " + status);
    }

    /** Signed in: past pending_auth (the MCP runtime may already be starting the server). */
    private static String waitForSignedIn(Backend backend, String id) throws Exception {
        return waitFor(backend, () -> !List.of("pending_auth", "needs_relogin", "failed").contains(status(backend, id)),
                "install " + id + " to be signed in");
    }

    private static String waitForReason(Backend backend, String id, String reason) throws Exception {
        return waitFor(backend, () -> listing(backend).contains(reason), "install " + id + " to say " + reason);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static String waitFor(Backend backend, Check check, String what) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited 30 s for " + what + "; the installs are " + listing(backend));
            }
            Thread.sleep(100);
        }
        return listing(backend);
    }

    private static HttpRequest.Builder request(Backend backend, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path))
                .header("Authorization", "Bearer " + backend.secret());
    }
}
