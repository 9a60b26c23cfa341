package dev.latchkey.browser.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.browser.SessionFolders;
import dev.latchkey.browser.chromium.BackendApi;
import dev.latchkey.browser.chromium.ServiceSites;
import dev.latchkey.login.LoginCancel;
import dev.latchkey.login.LoginOutcome;
import dev.latchkey.login.LoginRequest;
import dev.latchkey.login.SessionKey;
import dev.latchkey.provider.BrowserAuthSettings;
import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * JCEF login windows of this JVM's one CEF, under the X display the build runs in (xvfb-run),
 * against the local stand-ins of LinkedIn and Slack with the built-in definitions unchanged: CEF
 * reaches the real host names through the QA switches. The test's hands are Selenium attached
 * through the remote-debugging port, as QA attaches.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JcefLoginTest {

    private static final ProviderRegistry BUILT_INS = ProviderRegistry.load(Path.of("no-user-providers"));
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path temp;

    private static ServiceSites sites;
    private static CefRuntime cef;
    private static int debuggingPort;
    private static ExecutorService threads;

    @BeforeAll
    static void start() throws Exception {
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) {
            throw new IllegalStateException("the JCEF login tests need an X display: run them with ./latchkey test "
                    + "(xvfb-run), or under xvfb-run -a mvn verify");
        }
        sites = ServiceSites.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            debuggingPort = socket.getLocalPort();
        }
        cef = CefRuntime.start(Path.of("target", "jcef").toAbsolutePath(), temp.resolve("browser"), sites.switches(),
                debuggingPort);
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (threads != null) {
            threads.shutdownNow(); // an unfinished sign-in (a test that failed) is interrupted and closes its window
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }
        if (cef != null) {
            cef.close();
        }
        if (sites != null) {
            sites.close();
        }
    }

    private final JcefLogin login = new JcefLogin(() -> cef, new SessionFolders(temp.resolve("sessions")), Clock.systemUTC());

    @Test
    void extracts_the_httponly_li_at_cookie_once_the_feed_is_reached_and_closes_the_window() throws Exception {
        Future<LoginOutcome> outcome = signIn("linkedin-browser", "install-1");
        ChromeDriver window = attach("www.linkedin.com");
        try {
            window.findElement(By.id("username")).sendKeys("ann@example.com");
            window.findElement(By.id("password")).sendKeys(ServiceSites.PASSWORD);
            window.findElement(By.id("submit")).click();

            LoginOutcome extracted = outcome.get(60, TimeUnit.SECONDS);
            assertThat(extracted).isInstanceOf(LoginOutcome.Extracted.class);
            assertThat(((LoginOutcome.Extracted) extracted).values())
                    .isEqualTo(Map.of("liAt", "AQEDAR-session-of-annexamplecom"));
            assertThat(extracted.toString()).doesNotContain("AQEDAR");
            LoginFrames.awaitNoLoginWindow();
        } finally {
            window.quit();
        }
    }

    @Test
    void cancels_links_scripts_and_redirects_off_the_allowed_hosts_and_reports_them_as_blocked() throws Exception {
        Future<LoginOutcome> outcome = signIn("slack-browser", "install-2");
        ChromeDriver window = attach("slack.com");
        try {
            window.findElement(By.id("evil-link")).click();
            LoginFrames.awaitRefused("navigation to https://evil.example/link");
            window.findElement(By.id("redirect-link")).click();
            LoginFrames.awaitRefused("navigation to https://evil.example/redirect");
            window.findElement(By.id("script-button")).click();
            LoginFrames.awaitRefused("navigation to https://evil.example/script");
            window.findElement(By.id("popup-button")).click();
            LoginFrames.awaitRefused("pop-up to https://evil.example/popup");

            assertThat(window.getCurrentUrl()).isEqualTo("https://slack.com/signin");
            assertThat(sites.requestsTo("evil.example")).isEmpty();
            LoginFrames.closeLoginWindow();
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(new LoginOutcome.Blocked(List.of(
                    "navigation to https://evil.example/link", "navigation to https://evil.example/redirect",
                    "navigation to https://evil.example/script", "pop-up to https://evil.example/popup")));
        } finally {
            window.quit();
        }
    }

    @Test
    void times_out_while_the_page_never_reaches_ready_and_closes_the_window() throws Exception {
        BrowserAuthSettings linkedIn = BUILT_INS.find("linkedin-browser").orElseThrow().browserAuth();
        BrowserAuthSettings impatient = new BrowserAuthSettings(linkedIn.loginUrl(), linkedIn.allowedHosts(),
                linkedIn.readyWhen(), linkedIn.extract(), 10, linkedIn.check());
        LoginRequest request = new LoginRequest("LinkedIn", impatient, new SessionKey("linkedin-browser", "install-3"));

        LoginOutcome outcome = threads.submit(() -> login.signIn(request, new LoginCancel())).get(60, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new LoginOutcome.TimedOut(Duration.ofSeconds(10),
                "the page to reach readyWhen (" + linkedIn.readyWhen() + ")"));
        LoginFrames.awaitNoLoginWindow();
    }

    @Test
    void closing_the_window_before_signing_in_is_cancelled() throws Exception {
        Future<LoginOutcome> outcome = signIn("linkedin-browser", "install-4");
        LoginFrames.awaitLoginWindow();

        LoginFrames.closeLoginWindow();

        assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(new LoginOutcome.Cancelled());
        LoginFrames.awaitNoLoginWindow();
    }

    @Test
    void cancelling_the_sign_in_closes_the_window_and_is_cancelled() throws Exception {
        LoginCancel cancel = new LoginCancel();
        LoginRequest request = request("linkedin-browser", "install-5");
        Future<LoginOutcome> outcome = threads.submit(() -> login.signIn(request, cancel));
        LoginFrames.awaitLoginWindow();

        cancel.cancel();

        assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(new LoginOutcome.Cancelled());
        LoginFrames.awaitNoLoginWindow();
    }

    @Test
    void admits_an_sso_tenant_only_after_a_server_redirect_from_an_allowed_host() throws Exception {
        Future<LoginOutcome> outcome = signIn("slack-browser", "install-sso");
        ChromeDriver window = attach("slack.com");
        try {
            window.findElement(By.id("okta-link")).click();
            LoginFrames.awaitRefused("navigation to https://acme.okta.com/app/slack/sso");
            window.findElement(By.id("sso-link")).click();
            new WebDriverWait(window, Duration.ofSeconds(20))
                    .until(d -> d.getCurrentUrl().equals("https://acme.okta.com/app/slack/sso"));
            window.findElement(By.id("other-tenant")).click();
            LoginFrames.awaitRefused("navigation to https://other.okta.com/app");
            LoginFrames.closeLoginWindow();
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(new LoginOutcome.Blocked(List.of(
                    "navigation to https://acme.okta.com/app/slack/sso", "navigation to https://other.okta.com/app")));
        } finally {
            window.quit();
        }
    }

    @Test
    void cancel_and_uninstall_during_a_sign_in_close_the_window_and_the_app_answers_a_hundred_calls_after(@TempDir Path dataDir)
            throws Exception {
        JcefLogin windows = new JcefLogin(() -> cef, SessionFolders.under(dataDir), Clock.systemUTC());
        try (Backend backend = Backend.start(new AppConfig(dataDir, 0, URI.create("http://127.0.0.1:9")), windows)) {
            BackendApi api = new BackendApi(backend);
            String body = "{\"catalogName\":\"korotovsky__slack-mcp-server\",\"auth\":\"browser\"}";
            String cancelled = api.post("/api/installs", body, 201).get("id").asText();
            LoginFrames.awaitLoginWindow();
            assertThat(api.send("DELETE", "/api/installs/" + cancelled + "/sign-in", null).statusCode()).isEqualTo(204);
            LoginFrames.awaitNoLoginWindow();
            assertThat(api.waitForStatus(cancelled, "failed"))
                    .contains("Sign-in did not finish: the login window was closed. Nothing was stored.");
            api.answersCalls(100);

            String uninstalled = api.post("/api/installs", body, 201).get("id").asText();
            LoginFrames.awaitLoginWindow();
            assertThat(api.send("DELETE", "/api/installs/" + uninstalled, null).statusCode()).isEqualTo(204);
            LoginFrames.awaitNoLoginWindow();
            assertThat(api.status(uninstalled)).isEqualTo("gone");
            api.answersCalls(100);
        }
    }

    private Future<LoginOutcome> signIn(String provider, String install) {
        LoginRequest request = request(provider, install);
        return threads.submit(() -> login.signIn(request, new LoginCancel()));
    }

    private static LoginRequest request(String provider, String install) {
        ProviderDefinition definition = BUILT_INS.find(provider).orElseThrow();
        return new LoginRequest(definition.displayName(), definition.browserAuth(), new SessionKey(provider, install));
    }

    /** Selenium on the login window whose page is on {@code host}, through the QA debugging port. */
    private static ChromeDriver attach(String host) {
        ChromeOptions options = new ChromeOptions();
        options.setExperimentalOption("debuggerAddress", "127.0.0.1:" + debuggingPort);
        ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .withBuildCheckDisabled(true).usingAnyFreePort().build(), options);
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> {
            for (String handle : d.getWindowHandles()) {
                d.switchTo().window(handle);
                if (d.getCurrentUrl().startsWith("https://" + host + "/") && d.findElements(By.id("password")).size() == 1) {
                    return true;
                }
            }
            return false;
        });
        return driver;
    }
}
