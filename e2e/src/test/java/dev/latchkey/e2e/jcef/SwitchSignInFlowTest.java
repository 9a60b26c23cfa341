package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.SystemBrowser;
import dev.latchkey.qa.pages.BrowserTab;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstallDialog;
import dev.latchkey.qa.pages.InstalledRow;
import dev.latchkey.qa.pages.LoginWindow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/**
 * A server that signs in either way, switched from the page: installed by OAuth (the system
 * browser, mock-oauth2-server, the real proxy), then "Switch to browser login" signs in in a JCEF
 * login window at Acme's HTTPS stand-in (the server runs on the session, the old OAuth grant is
 * revoked at the authorization server), and "Switch to OAuth" signs in in the system browser again,
 * as another account.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SwitchSignInFlowTest {

    @RegisterExtension
    static final OAuthSite oauth = new OAuthSite();
    @RegisterExtension
    static final SystemBrowser browser = new SystemBrowser();
    @RegisterExtension
    static final AcmeSite.Served acme = new AcmeSite.Served();

    @RegisterExtension
    final LatchkeyExtension latchkey = new LatchkeyExtension().dataDir(AcmeSite::install).dataDir(oauth::install)
            .args(oauth::args).args(acme::switches).environment(browser::environment);

    @Test
    void an_oauth_install_switched_to_browser_login_and_back_runs_on_each_sign_in_in_turn(
            WebDriver driver, LatchkeyApp app) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        InstallDialog dialog = page.catalog().search("e2e switch").card(OAuthSite.SWITCHABLE).install();
        assertThat(dialog.authChoices()).containsExactlyInAnyOrder("oauth", "browser");
        page = dialog.signInWith("oauth").install();
        InstalledRow row = page.installed().newest(OAuthSite.SWITCHABLE_TITLE).awaitStatus("pending_auth");
        BrowserTab signIn = browser.awaitPage();
        assertThat(OAuthSite.signIn(signIn, "alice").title()).isEqualTo("Connected");
        row = page.back().installed().row(row.id()).awaitStatus("running").awaitMeta("connected as alice@example.com");
        assertThat(row.meta()).startsWith("OAuth");
        oauth.forgetRequests();

        row.switchToBrowser();
        LoginWindow login = LoginWindow.of(driver, app.api(), AcmeSite.PROVIDER);
        assertThat(login.url()).isEqualTo("https://" + AcmeSite.LOGIN_HOST + "/signin");
        login.type("input[name=email]", "ann@acme.test").type("input[name=password]", AcmeSite.PASSWORD).click("#sign-in");
        page = login.awaitClosed(page);

        row = page.installed().row(row.id()).awaitMeta("Browser login").awaitStatus("running").awaitTools();
        assertThat(row.meta()).contains(AcmeSite.PROVIDER).doesNotContain("alice@example.com");
        assertThat(row.offers("switch-to-browser")).isFalse();
        assertThat(app.api().install(row.id()).path("auth").asText()).isEqualTo("browser");
        assertThat(oauth.awaitRevocation()).as("the revocation's form").contains("token=");
        assertThat(acme.requests(AcmeSite.LOGIN_HOST)).containsSubsequence("GET /signin", "POST /home");
        assertThat(browser.handed()).as("the switch opened nothing in the system browser").hasSize(1);

        row.switchToOAuth();
        signIn = browser.awaitPage();
        assertThat(OAuthSite.signIn(signIn, "bob").message()).startsWith("E2E switch is connected as bob@example.com.");
        row = page.back().installed().row(row.id()).awaitMeta("connected as bob@example.com").awaitStatus("running");
        assertThat(row.meta()).startsWith("OAuth").contains(OAuthSite.PROVIDER);
        assertThat(row.offers("switch-to-browser")).isTrue();
        assertThat(app.api().install(row.id()).path("auth").asText()).isEqualTo("oauth");
    }
}
