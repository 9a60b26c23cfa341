package dev.latchkey.browser.chromium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.browser.SessionFolders;
import dev.latchkey.login.LoginCancel;
import dev.latchkey.login.LoginOutcome;
import dev.latchkey.login.LoginRequest;
import dev.latchkey.login.SessionKey;
import dev.latchkey.provider.BrowserAuthSettings;
import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Chromium login window against local stand-ins of Slack and LinkedIn, with the built-in
 * provider definitions unchanged: Chromium reaches the real host names through the QA switches.
 */
class ChromiumLoginTest {

    private static final ProviderRegistry BUILT_INS = ProviderRegistry.load(Path.of("no-user-providers"));

    @TempDir
    static Path temp;

    private static ServiceSites sites;
    private static ExecutorService threads;

    @BeforeAll
    static void startSites() throws Exception {
        if (!Files.isExecutable(ChromiumLogin.BROWSER) || !Files.isExecutable(ChromiumLogin.DRIVER)) {
            throw new IllegalStateException("these tests need Chromium at " + ChromiumLogin.BROWSER + " and ChromeDriver at "
                    + ChromiumLogin.DRIVER + "; install them: apt-get install -y chromium chromium-driver");
        }
        sites = ServiceSites.start();
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopSites() throws InterruptedException {
        threads.shutdownNow(); // an unfinished sign-in is interrupted, and closes its Chromium
        threads.awaitTermination(30, TimeUnit.SECONDS);
        sites.close();
    }

    /** A window that gave values closes in the background; the temporary folders go only after it has. */
    @AfterEach
    void waitForClosingWindows() {
        login.close();
    }

    private final SessionFolders sessions = new SessionFolders(temp.resolve("sessions-" + System.nanoTime()));
    private final ChromiumLogin login = new ChromiumLogin(sessions, sites.switches(), true, Clock.systemUTC());

    @Test
    void extracts_the_token_of_the_team_in_the_url_and_the_late_d_cookie_exactly_as_stored() throws Exception {
        SessionKey session = new SessionKey("slack-browser", "install-1");
        Instant before = Instant.now();
        Future<LoginOutcome> outcome = signIn("slack-browser", session, 0);
        try (LoginWindowDriver window = LoginWindowDriver.attach(sessions.root().resolve("slack-browser/install-1"), "slack.com")) {
            window.type("email", "ann@example.com");
            window.type("password", ServiceSites.PASSWORD);
            window.click("submit");

            LoginOutcome.Extracted extracted = (LoginOutcome.Extracted) outcome.get(30, TimeUnit.SECONDS);
            assertThat(extracted.values()).isEqualTo(Map.of(
                    "token", "xoxc-222-second-team",
                    "cookie", "xoxd-annexamplecom%2Fsecret%3D"));
            assertThat(extracted.expiresAt()).isBetween(before.plus(ServiceSites.D_LIFETIME),
                    Instant.now().plus(ServiceSites.D_LIFETIME));
            assertThat(extracted.toString()).doesNotContain("xoxc-", "xoxd-");
        }
    }

    @Test
    void refuses_links_redirects_scripts_and_typed_urls_that_leave_the_allowed_hosts() throws Exception {
        SessionKey session = new SessionKey("slack-browser", "install-2");
        Future<LoginOutcome> outcome = signIn("slack-browser", session, 0);
        try (LoginWindowDriver window = LoginWindowDriver.attach(sessions.root().resolve("slack-browser/install-2"), "slack.com")) {
            window.click("evil-link");
            window.waitForRefused("navigation to https://evil.example/link");
            window.click("redirect-link");
            window.waitForRefused("navigation to https://evil.example/redirect");
            window.click("script-button");
            window.waitForRefused("navigation to https://evil.example/script");
            window.typeUrl("https://evil.example/typed");
            window.waitForRefused("navigation to https://evil.example/typed");

            assertThat(window.url()).isEqualTo("https://slack.com/signin");
            assertThat(sites.requestsTo("evil.example")).isEmpty();
            window.closeWindow();
            assertThat(outcome.get(20, TimeUnit.SECONDS)).isEqualTo(new LoginOutcome.Blocked(List.of(
                    "navigation to https://evil.example/link", "navigation to https://evil.example/redirect",
                    "navigation to https://evil.example/script", "navigation to https://evil.example/typed")));
        }
    }

    @Test
    void admits_an_sso_tenant_only_after_a_server_redirect_from_an_allowed_host_and_in_that_window_only() throws Exception {
        Future<LoginOutcome> outcome = signIn("slack-browser", new SessionKey("slack-browser", "install-sso"), 0);
        try (LoginWindowDriver window = LoginWindowDriver.attach(sessions.root().resolve("slack-browser/install-sso"), "slack.com")) {
            window.click("okta-link");
            window.waitForRefused("navigation to https://acme.okta.com/app/slack/sso");
            window.click("sso-link");
            window.waitUntil(() -> window.url().equals("https://acme.okta.com/app/slack/sso"), "the tenant's page");
            window.click("other-tenant");
            window.waitForRefused("navigation to https://other.okta.com/app");
            window.closeWindow();
            assertThat(outcome.get(20, TimeUnit.SECONDS)).isEqualTo(new LoginOutcome.Blocked(List.of(
                    "navigation to https://acme.okta.com/app/slack/sso", "navigation to https://other.okta.com/app")));
        }
        Future<LoginOutcome> next = signIn("slack-browser", new SessionKey("slack-browser", "install-sso-2"), 0);
        try (LoginWindowDriver window = LoginWindowDriver.attach(sessions.root().resolve("slack-browser/install-sso-2"), "slack.com")) {
            window.typeUrl("https://acme.okta.com/app/slack/sso");
            window.waitForRefused("navigation to https://acme.okta.com/app/slack/sso");
            window.closeWindow();
            assertThat(next.get(20, TimeUnit.SECONDS)).isInstanceOf(LoginOutcome.Blocked.class);
        }
        assertThat(sites.requestsTo("other.okta.com")).isEmpty();
    }

    @Test
    void refuses_a_pop_up_and_opens_a_new_window_link_in_place() throws Exception {
        SessionKey session = new SessionKey("slack-browser", "install-3");
        Future<LoginOutcome> outcome = signIn("slack-browser", session, 0);
        try (LoginWindowDriver window = LoginWindowDriver.attach(sessions.root().resolve("slack-browser/install-3"), "slack.com")) {
            window.click("popup-button");
            window.waitForRefused("pop-up to https://evil.example/popup");
            assertThat(window.windows()).isEqualTo(1);
            window.click("blank-link");
            window.waitUntil(() -> window.url().equals("https://slack.com/help"), "help in the same window");
            assertThat(window.windows()).isEqualTo(1);
            assertThat(sites.requestsTo("evil.example")).isEmpty();
            window.closeWindow();
            assertThat(outcome.get(20, TimeUnit.SECONDS))
                    .isEqualTo(new LoginOutcome.Blocked(List.of("pop-up to https://evil.example/popup")));
        }
    }

    @Test
    void times_out_saying_what_it_waited_for() throws Exception {
        LoginOutcome outcome = signIn("slack-browser", new SessionKey("slack-browser", "install-4"), 10)
                .get(40, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new LoginOutcome.TimedOut(Duration.ofSeconds(10),
                "the page to reach readyWhen (^https://app\\.slack\\.com/client/T[A-Z0-9]+)"));
    }

    @Test
    void closing_the_window_cancels() throws Exception {
        Future<LoginOutcome> outcome = signIn("slack-browser", new SessionKey("slack-browser", "install-5"), 0);
        try (LoginWindowDriver window = LoginWindowDriver.attach(sessions.root().resolve("slack-browser/install-5"), "slack.com")) {
            window.closeWindow();
            assertThat(outcome.get(20, TimeUnit.SECONDS)).isEqualTo(new LoginOutcome.Cancelled());
        }
    }

    @Test
    void cancelling_the_sign_in_closes_the_window_deletes_its_profile_and_is_cancelled() throws Exception {
        Path profile = sessions.root().resolve("slack-browser/install-6");
        LoginCancel cancel = new LoginCancel();
        Future<LoginOutcome> outcome = signIn("slack-browser", new SessionKey("slack-browser", "install-6"), 0, cancel);
        try (LoginWindowDriver window = LoginWindowDriver.attach(profile, "slack.com")) {
            cancel.cancel();

            assertThat(outcome.get(20, TimeUnit.SECONDS)).isEqualTo(new LoginOutcome.Cancelled());
            assertThat(profile).doesNotExist();
        }
    }

    @Test
    void a_wrong_password_keeps_the_window_open_and_the_right_one_then_reads_the_http_only_cookie() throws Exception {
        Future<LoginOutcome> outcome = signIn("linkedin-browser", new SessionKey("linkedin-browser", "install-7"), 0);
        try (LoginWindowDriver window = LoginWindowDriver.attach(sessions.root().resolve("linkedin-browser/install-7"), "www.linkedin.com")) {
            window.type("username", "bob@example.com");
            window.type("password", "wrong");
            window.click("submit");
            window.waitUntil(() -> window.text("error").equals("Wrong email or password"), "the error");
            Thread.sleep(500);
            assertThat(outcome).isNotDone();

            window.type("username", "bob@example.com");
            window.type("password", ServiceSites.PASSWORD);
            window.click("submit");
            LoginOutcome.Extracted extracted = (LoginOutcome.Extracted) outcome.get(20, TimeUnit.SECONDS);
            assertThat(extracted.values()).isEqualTo(Map.of("liAt", "AQEDAR-session-of-bobexamplecom"));
            assertThat(extracted.expiresAt()).isNull();
        }
    }

    @Test
    void each_sign_in_starts_on_an_empty_throw_away_profile_that_is_deleted_once_chromium_has_quit() throws Exception {
        SessionKey ann = new SessionKey("slack-browser", "install-ann");
        SessionKey bob = new SessionKey("slack-browser", "install-bob");
        assertThat(signInTo(ann, "ann@example.com").values()).containsEntry("cookie", "xoxd-annexamplecom%2Fsecret%3D");
        assertThat(signInTo(bob, "bob@example.com").values()).containsEntry("cookie", "xoxd-bobexamplecom%2Fsecret%3D");
        login.close();
        assertThat(sessions.root().resolve("slack-browser/install-ann")).doesNotExist();
        assertThat(sessions.root().resolve("slack-browser/install-bob")).doesNotExist();

        // Nothing of Ann's session was kept: the sign-in page shows its form again, and Bob can use it.
        assertThat(signInTo(ann, "bob@example.com").values()).containsEntry("cookie", "xoxd-bobexamplecom%2Fsecret%3D");
    }

    /** Signs in through the form; the page must show the form, so the session held no sign-in yet. */
    private LoginOutcome.Extracted signInTo(SessionKey session, String email) throws Exception {
        Future<LoginOutcome> outcome = signIn("slack-browser", session, 0);
        try (LoginWindowDriver window = LoginWindowDriver.attach(session.under(sessions.root()), "slack.com")) {
            window.type("email", email);
            window.type("password", ServiceSites.PASSWORD);
            window.click("submit");
            return (LoginOutcome.Extracted) outcome.get(30, TimeUnit.SECONDS);
        }
    }

    private Future<LoginOutcome> signIn(String provider, SessionKey session, int timeoutSeconds) {
        return signIn(provider, session, timeoutSeconds, new LoginCancel());
    }

    private Future<LoginOutcome> signIn(String provider, SessionKey session, int timeoutSeconds, LoginCancel cancel) {
        ProviderDefinition definition = BUILT_INS.find(provider).orElseThrow();
        BrowserAuthSettings settings = definition.browserAuth();
        if (timeoutSeconds > 0) {
            settings = new BrowserAuthSettings(settings.loginUrl(), settings.allowedHosts(), settings.readyWhen(),
                    settings.extract(), timeoutSeconds);
        }
        LoginRequest request = new LoginRequest(definition.displayName(), settings, session);
        return threads.submit(() -> login.signIn(request, cancel));
    }
}
