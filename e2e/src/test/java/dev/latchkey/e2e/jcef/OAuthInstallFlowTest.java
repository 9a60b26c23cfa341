package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.SystemBrowser;
import dev.latchkey.qa.pages.BrowserTab;
import dev.latchkey.qa.pages.CallbackPage;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstalledRow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/**
 * Installing an OAuth server in the JCEF app: the app hands the sign-in to the system browser
 * (Selenium-driven Chromium, through {@code xdg-open}), the user signs in at a real authorization
 * server (mock-oauth2-server's form), the real proxy exchanges the code, and the row runs as the
 * account signed in.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OAuthInstallFlowTest {

    @RegisterExtension
    static final OAuthSite oauth = new OAuthSite();
    @RegisterExtension
    static final SystemBrowser browser = new SystemBrowser();

    @RegisterExtension
    final LatchkeyExtension latchkey = oauth.app(browser);

    @Test
    void installing_by_oauth_signs_in_in_the_system_browser_through_the_proxy_and_the_server_runs_as_that_account(
            WebDriver driver, LatchkeyApp app) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        InstalledRow row = OAuthSite.installFromCard(page);

        BrowserTab signIn = browser.awaitPage();
        // xdg-open was handed an owner-only page of the data dir, never the authorization URL itself.
        assertThat(browser.handed()).singleElement().asString()
                .startsWith(app.dataDir().resolve("browser-links").toUri() + "open-");
        assertThat(signIn.url()).contains("/default/authorize?").contains("code_challenge=");
        CallbackPage done = OAuthSite.signIn(signIn, "alice");
        assertThat(done.title()).isEqualTo("Connected");
        assertThat(done.message()).isEqualTo("E2E acme is connected as alice@example.com. "
                + "You can close this tab and go back to Latchkey.");
        done.close();

        row = page.back().installed().row(row.id()).awaitStatus("running").awaitTools();
        assertThat(row.meta()).startsWith("OAuth").contains("connected as alice@example.com");
        assertThat(row.tools()).contains("echo", "get-env");
        assertThat(row.offers("reconnect")).isTrue();
        assertThat(app.api().install(row.id()).path("accountLabel").asText()).isEqualTo("alice@example.com");
    }
}
