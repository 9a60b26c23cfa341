package dev.latchkey.browser.chromium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
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
    private static final ObjectMapper JSON = BackendApi.JSON;

    private static ServiceSites sites;
    /** The backend's session checks reach the stand-in for slack.com through it. */
    private static Tunnel tunnel;

    @TempDir
    Path dataDir;
    private ChromiumLogin login;

    @BeforeAll
    static void startSites() throws Exception {
        sites = ServiceSites.start();
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
            BackendApi api = new BackendApi(backend);
            JsonNode install = api.post("/api/installs", "{\"catalogName\":\"" + SLACK + "\",\"auth\":\"browser\",\"userConfig\":{}}", 201);
            id = install.get("id").asText();
            assertThat(install.get("status").asText()).isEqualTo("pending_auth");

            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "ann@example.com", ServiceSites.PASSWORD);
                String listing = api.waitForSignedIn(id);
                assertThat(listing).doesNotContain("xoxc-", "xoxd-");
                assertThat(listing).contains("\"provider\":\"slack-browser\"");
                // named by Slack's session check, asked at slack.com (the stand-in) when the values were read
                assertThat(api.install(id).get("accountLabel").asText()).isEqualTo("second · annexamplecom");
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
            BackendApi api = new BackendApi(backend);
            id = api.post("/api/installs", "{\"catalogName\":\"" + SLACK + "\",\"auth\":\"browser\"}", 201)
                    .get("id").asText();
            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "ann@example.com", "wrong");
                window.waitUntil(() -> window.text("error").equals("Wrong password"), "the error");
                assertThat(api.status(id)).isEqualTo("pending_auth");
                window.closeWindow();
                String listing = api.waitForStatus(id, "failed");
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
            BackendApi api = new BackendApi(backend);
            api.post("/api/installs/" + id + "/switch", "{\"auth\":\"browser\"}", 202);
            try (LoginWindowDriver window = attach(id)) {
                window.closeWindow();
                String listing = api.waitForReason(id, "Switching to browser login did not finish");
                assertThat(listing).contains("The current connection is unchanged.");
            }
        }
        assertThat(withStore(store -> store.credentials(id)).orElseThrow().values()).containsEntry("accessToken", "xoxp-old-oauth");

        try (Backend backend = start()) {
            BackendApi api = new BackendApi(backend);
            api.post("/api/installs/" + id + "/switch", "{\"auth\":\"browser\"}", 202);
            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "bob@example.com", ServiceSites.PASSWORD);
                // connected before and after (and the runtime restarts the server): the provider tells the switch is done
                api.waitForReason(id, "\"provider\":\"slack-browser\"");
            }
        }
        Credentials now = withStore(store -> store.credentials(id)).orElseThrow();
        assertThat(now.provider()).isEqualTo("slack-browser");
        assertThat(now.values()).containsOnlyKeys("token", "cookie").containsEntry("cookie", "xoxd-bobexamplecom%2Fsecret%3D");
        assertThat(withStore(store -> store.find(id)).orElseThrow().auth()).isEqualTo(AuthMethod.BROWSER);
    }

    @Test
    void an_expired_session_needs_a_relogin_which_signs_in_afresh_in_one_click() throws Exception {
        String id;
        try (Backend backend = start()) {
            BackendApi api = new BackendApi(backend);
            id = api.post("/api/installs", "{\"catalogName\":\"" + SLACK + "\",\"auth\":\"browser\"}", 201).get("id").asText();
            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "ann@example.com", ServiceSites.PASSWORD);
                api.waitForSignedIn(id);
            }
        }
        withStore(store -> {
            Credentials stored = store.credentials(id).orElseThrow();
            store.saveCredentials(id, new Credentials(stored.provider(), stored.method(), stored.values(),
                    Instant.now().minusSeconds(60), null), "refreshed");
            return null;
        });
        try (Backend backend = start()) {
            BackendApi api = new BackendApi(backend);
            String listing = api.waitForStatus(id, "needs_relogin");
            assertThat(listing).contains("session ended on");

            api.post("/api/installs/" + id + "/relogin", "", 202);
            // Nothing of the first sign-in was kept: the window shows the form again.
            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "ann@example.com", ServiceSites.PASSWORD);
                api.waitForSignedIn(id);
            }
        }
        assertThat(withStore(store -> store.credentials(id)).orElseThrow().expiresAt()).isAfter(Instant.now());
    }

    @Test
    void a_session_the_provider_refuses_needs_a_relogin_but_a_check_that_cannot_reach_it_changes_nothing() throws Exception {
        try (Backend backend = start()) {
            BackendApi api = new BackendApi(backend);
            String id = api.post("/api/installs", "{\"catalogName\":\"" + SLACK + "\",\"auth\":\"browser\"}", 201)
                    .get("id").asText();
            try (LoginWindowDriver window = attach(id)) {
                signIn(window, "carol@example.com", ServiceSites.PASSWORD);
                api.waitForSignedIn(id);
            }

            tunnel.down(true);
            JsonNode unreachable;
            try {
                unreachable = api.post("/api/installs/" + id + "/session-check", "", 200);
            } finally {
                tunnel.down(false);
            }
            assertThat(tunnel.refused()).as("the check went out and found no way through").isPositive();
            assertThat(unreachable.get("status").asText()).isNotEqualTo("needs_relogin");

            sites.endSession("carol@example.com");
            JsonNode refused = api.post("/api/installs/" + id + "/session-check", "", 200);
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
}
