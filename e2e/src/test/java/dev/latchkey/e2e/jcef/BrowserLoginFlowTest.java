package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.VirtualDisplay;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstalledRow;
import dev.latchkey.qa.pages.LoginWindow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/**
 * Browser login in a JCEF login window of the app, against Acme's HTTPS stand-in reached under its
 * real host names through the QA switches: signing in, and a hostile page refused.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrowserLoginFlowTest {

    @RegisterExtension
    static final AcmeSite.Served acme = new AcmeSite.Served();

    @RegisterExtension
    final LatchkeyExtension latchkey = new LatchkeyExtension().dataDir(AcmeSite::install).args(acme::switches);

    @Test
    void signing_in_in_the_login_window_stores_the_session_and_the_server_runs(WebDriver driver, LatchkeyApp app) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        page = page.catalog().search("acme notes").card(AcmeSite.NOTES).install().install();
        InstalledRow row = page.installed().newest(AcmeSite.NOTES_TITLE).awaitStatus("pending_auth");

        LoginWindow login = LoginWindow.of(driver, app.api(), AcmeSite.PROVIDER);
        assertThat(login.url()).isEqualTo("https://" + AcmeSite.LOGIN_HOST + "/signin");
        login.type("input[name=email]", "ann@acme.test").type("input[name=password]", AcmeSite.PASSWORD).click("#sign-in");
        page = login.awaitClosed(page);

        row = page.installed().row(row.id()).awaitStatus("running").awaitTools();
        assertThat(row.statusReason()).startsWith("13 tools: echo,");
        assertThat(row.meta()).startsWith("Browser login");
        assertThat(acme.requests(AcmeSite.LOGIN_HOST)).containsSubsequence("GET /signin", "POST /home");
        assertThat(app.api().install(row.id()).toString()).doesNotContain("acme-session-7f3a");
    }

    @Test
    void a_hostile_page_cannot_leave_the_allowed_host_nor_open_a_window_and_the_sign_in_says_what_it_refused(
            WebDriver driver, LatchkeyApp app, VirtualDisplay display) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        page = page.catalog().card(AcmeSite.NOTES).install().install();
        InstalledRow row = page.installed().newest(AcmeSite.NOTES_TITLE).awaitStatus("pending_auth");
        LoginWindow login = LoginWindow.of(driver, app.api(), AcmeSite.PROVIDER);
        int windows = login.windowCount();

        // A link, a server redirect and a pop-up, each to a host the provider does not allow.
        login.click("#evil-link").click("#leave").click("#evil-popup").runScript("window.location.href = 'https://"
                + AcmeSite.EVIL_HOST + "/scripted'");
        // The user gives up and closes the window with its close button.
        display.closeWindow("Acme (browser login) — Latchkey sign-in");
        row = page.back().installed().row(row.id()).awaitStatus("failed");

        assertThat(row.statusReason()).contains("the login window refused").contains("(and 3 more)")
                .contains("not an allowed host of Acme (browser login)");
        assertThat(acme.requests(AcmeSite.EVIL_HOST)).as("the evil host was never asked").isEmpty();
        assertThat(acme.requests(AcmeSite.LOGIN_HOST)).contains("GET /leave");
        assertThat(login.closed()).isTrue();
        assertThat(driver.getWindowHandles()).as("no pop-up window opened").hasSizeLessThan(windows);
    }
}
