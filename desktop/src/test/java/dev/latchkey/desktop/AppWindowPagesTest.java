package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.latchkey.desktop.AppWindowHarness.awaitTrue;
import static dev.latchkey.desktop.AppWindowHarness.commandLine;
import static dev.latchkey.desktop.AppWindowHarness.commandLineOf;
import static dev.latchkey.desktop.AppWindowHarness.freePort;
import static dev.latchkey.desktop.AppWindowHarness.pageUrls;
import static dev.latchkey.desktop.AppWindowHarness.processTree;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.desktop.AppWindowHarness.AppApi;
import dev.latchkey.qa.JcefDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the app's JCEF window shows and opens, with the app started as a user starts it
 * ({@link AppWindowHarness}): the Connectors page signed in, a browser login's window of the app's
 * own CEF, and pop-ups handed to the system browser. A hung app fails at the timeout; every
 * process is killed after each test.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AppWindowPagesTest extends AppWindowTestBase {

    @Test
    void the_window_shows_the_connectors_page_signed_in_and_no_command_line_carries_the_launch_url() throws Exception {
        int debuggingPort = freePort();
        Process app = apps.startApp(debuggingPort);

        ChromeDriver page = JcefDriver.attach(debuggingPort, dataDir.resolve("chromedriver.log"));
        try {
            new WebDriverWait(page, Duration.ofSeconds(60)).until(driver ->
                    "live".equals(driver.findElement(By.id("live-state")).getAttribute("data-state")));
            assertThat(page.getTitle()).isEqualTo("Latchkey — Connectors");
            assertThat(page.findElement(By.id("result-count")).getText()).matches("\\d+ connectors");
            assertThat(page.findElement(By.id("signin-notice")).isDisplayed()).isFalse();
            String pageUrl = page.getCurrentUrl();
            assertThat(pageUrl).matches("http://127\\.0\\.0\\.1:\\d+/");
            assertThat(display.windowTitles()).contains(AppWindow.TITLE);
            // The page's origin appears on no command line of the app or of CEF's helpers, so neither
            // does a launch URL with its one-time secret.
            String origin = pageUrl.substring(0, pageUrl.length() - 1);
            for (ProcessHandle process : processTree(app)) {
                assertThat(commandLine(process)).as("command line of pid " + process.pid()).doesNotContain(origin);
            }
        } finally {
            page.quit();
        }
    }

    @Test
    void a_browser_login_install_signs_in_in_a_jcef_login_window_and_closing_it_stores_nothing() throws Exception {
        int debuggingPort = freePort();
        // LinkedIn's host leads to a closed port here: the window shows an error page, and nothing leaves the machine.
        Process app = apps.startApp(debuggingPort, "--host-resolver-rules", "MAP www.linkedin.com 127.0.0.1:" + freePort());
        AppApi api = new AppApi(dataDir);

        JsonNode install = api.send("POST", "/api/installs",
                "{\"catalogName\": \"stickerdaniel__linkedin-mcp-server\", \"auth\": \"browser\"}", 201);
        String id = install.path("id").asText();
        assertThat(install.path("status").asText()).isEqualTo("pending_auth");

        // The login window is a window of the app's own CEF, not a Chromium of its own.
        String title = "LinkedIn (browser login) — Latchkey sign-in";
        awaitTrue("a JCEF page on the login URL, and a window titled \"" + title + "\"", () ->
                pageUrls(debuggingPort).contains("https://www.linkedin.com/login") && display.windowTitles().contains(title));
        assertThat(processTree(app)).as("no Chromium of its own").noneSatisfy(process ->
                assertThat(commandLine(process)).startsWith("/usr/bin/chromium"));

        display.closeWindow(title);

        awaitTrue("the install failed because its login window was closed", () ->
                api.send("GET", "/api/installs/" + id, null, 200).path("status").asText().equals("failed"));
        assertThat(api.send("GET", "/api/installs/" + id, null, 200).path("statusReason").asText())
                .isEqualTo("Sign-in did not finish: the login window was closed. Nothing was stored.");
        awaitTrue("the login window gone, the app window still there", () ->
                !pageUrls(debuggingPort).contains("https://www.linkedin.com/login")
                        && !display.windowTitles().contains(title) && display.windowTitles().contains(AppWindow.TITLE));
    }

    @Test
    void pages_the_connectors_page_opens_in_a_new_window_go_to_the_system_browser_and_only_web_pages() throws Exception {
        // The "system browser" is a script that writes down what it was handed (handed.txt) and the
        // address the forwarding page it was handed leads to (opened.txt); the app reaches it through
        // the real xdg-open, which, outside a desktop environment, runs $BROWSER.
        assertThat(Path.of("/usr/bin/xdg-open")).as("xdg-open; install it: apt-get install -y xdg-utils "
                + "(./latchkey test does)").isExecutable();
        Path opened = dataDir.resolve("opened.txt");
        Path handed = dataDir.resolve("handed.txt");
        Path browser = dataDir.resolve("browser.sh");
        Files.writeString(browser, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + handed + "'\n"
                + "sed -n 's/.*<a href=\"\\([^\"]*\\)\".*/\\1/p' \"${1#file://}\" >> '" + opened + "'\n");
        browser.toFile().setExecutable(true);
        Path noDesktop = Files.createDirectories(dataDir.resolve("no-desktop"));
        int debuggingPort = freePort();
        Process app = apps.startApp(debuggingPort, environment -> {
            environment.put("BROWSER", browser.toString());
            List.of("XDG_DATA_HOME", "XDG_DATA_DIRS", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS")
                    .forEach(name -> environment.put(name, noDesktop.toString()));
            List.of("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION", "GNOME_DESKTOP_SESSION_ID",
                    "MATE_DESKTOP_SESSION_ID").forEach(environment::remove);
        });
        String signIn = "http://127.0.0.1:4711/oauth/go/one-time-link";
        String authorize = "https://auth.example.test/authorize?client_id=latchkey&state=s1&code_challenge=c1";
        String homePage = "https://example.test/server";

        ChromeDriver page = JcefDriver.attach(debuggingPort, dataDir.resolve("chromedriver.log"));
        try {
            new WebDriverWait(page, Duration.ofSeconds(60)).until(driver ->
                    "live".equals(driver.findElement(By.id("live-state")).getAttribute("data-state")));
            String appUrl = page.getCurrentUrl();
            // What the page does for an OAuth sign-in (oauth.js): window.open(its one-time link, '_blank',
            // 'noopener'), and a target=_blank link; then an authorization URL with its PKCE challenge,
            // which never goes on xdg-open's command line, and new windows on addresses that are not web pages, which must
            // go nowhere (Chromium itself stops file: and javascript: before the app is asked; about:,
            // mailto:, ssh: and data: reach the app).
            page.executeScript("""
                    const add = (id, make) => { const e = make(); e.id = id; e.textContent = id; document.body.prepend(e); };
                    const opener = (url) => () => { const b = document.createElement('button');
                        b.onclick = () => window.open(url, '_blank', 'noopener'); return b; };
                    add('open-sign-in', opener(arguments[0]));
                    add('open-link', () => { const a = document.createElement('a'); a.href = arguments[1]; a.target = '_blank'; return a; });
                    add('open-authorize', opener(arguments[2]));
                    add('open-file', opener('file:///etc/hostname'));
                    add('open-script', opener('javascript:document.title="ran"'));
                    add('open-blank', opener('about:blank'));
                    add('open-mail', opener('mailto:someone@example.test'));
                    add('open-ssh', opener('ssh://example.test/'));
                    add('open-data', opener('data:text/html,hi'));
                    """, signIn, homePage, authorize);
            for (String id : List.of("open-authorize", "open-file", "open-script", "open-blank", "open-mail", "open-ssh", "open-data", "open-sign-in", "open-link")) {
                page.findElement(By.id(id)).click();
            }

            awaitTrue("both web pages handed to the system browser", () ->
                    Files.exists(opened) && Files.readAllLines(opened).size() >= 2);
            awaitTrue("every xdg-open the app started has ended", () ->
                    app.descendants().noneMatch(process -> commandLineOf(process).contains("xdg-open")));
            assertThat(Files.readAllLines(opened)).containsExactlyInAnyOrder(signIn, homePage);
            assertThat(Files.readAllLines(handed)).as("what xdg-open and the browser were handed: forwarding pages only")
                    .hasSize(2).allSatisfy(url -> assertThat(url).startsWith(dataDir.resolve("browser-links").toUri().toString())
                            .doesNotContain("oauth/go").doesNotContain("example.test"));
            assertThat(pageUrls(debuggingPort)).as("no pop-up inside the app").containsExactly(appUrl);
            assertThat(display.windowTitles()).as("no window but the app's").containsExactly(AppWindow.TITLE);
            assertThat(page.getCurrentUrl()).isEqualTo(appUrl);
        } finally {
            page.quit();
        }
    }
}
