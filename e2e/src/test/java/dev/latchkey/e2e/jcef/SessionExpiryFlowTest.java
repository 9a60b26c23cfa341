package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.qa.AppApi;
import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstalledRow;
import dev.latchkey.qa.pages.LoginWindow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/** A browser-login session that ends (its cookie's lifetime), then "Sign in again" in a new JCEF login window. */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SessionExpiryFlowTest {

    @RegisterExtension
    static final AcmeSite.Served acme = new AcmeSite.Served();

    @RegisterExtension
    final LatchkeyExtension latchkey = new LatchkeyExtension().dataDir(AcmeSite::install).args(acme::switches);

    @Test
    void a_session_past_its_cookie_expiry_needs_sign_in_again_and_signing_in_again_runs_the_server(
            WebDriver driver, LatchkeyApp app) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        page = page.catalog().card(AcmeSite.NOTES).install().install();
        InstalledRow row = page.installed().newest(AcmeSite.NOTES_TITLE).awaitStatus("pending_auth");
        // The brief sign-in's session cookie lasts 20 s: time enough for the login window to read it on a loaded machine.
        LoginWindow login = LoginWindow.of(driver, app.api(), AcmeSite.PROVIDER).click("#brief").awaitUrlContaining("/signin-brief");
        login.type("input[name=email]", "ann@acme.test").type("input[name=password]", AcmeSite.PASSWORD).click("#sign-in");
        page = login.awaitClosed(page);
        row = page.installed().row(row.id()).awaitStatus("running");

        // What the app's minute-by-minute session health does, asked for now until the cookie has ended.
        awaitNeedsRelogin(app.api(), row.id());
        row = page.installed().row(row.id()).awaitStatus("needs_relogin");
        assertThat(row.statusReason()).contains("session ended");

        row.relogin();
        login = LoginWindow.of(driver, app.api(), AcmeSite.PROVIDER);
        assertThat(login.url()).isEqualTo("https://" + AcmeSite.LOGIN_HOST + "/signin");
        login.type("input[name=email]", "ann@acme.test").type("input[name=password]", AcmeSite.PASSWORD).click("#sign-in");
        page = login.awaitClosed(page);
        page.installed().row(row.id()).awaitStatus("running");
        assertThat(acme.requests(AcmeSite.LOGIN_HOST)).containsSubsequence("POST /home-brief", "GET /signin", "POST /home");
    }

    private static void awaitNeedsRelogin(AppApi api, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode install = api.install(id);
        AppApi.Answer checked = null;
        while (!install.path("status").asText().equals("needs_relogin")) {
            assertThat(System.nanoTime()).as("needs_relogin within 60 s; it is " + install.path("status").asText()
                    + ", the last check answered " + checked).isLessThan(deadline);
            Thread.sleep(500);
            checked = api.send("POST", "/api/installs/" + id + "/session-check", null);
            install = api.install(id);
        }
    }
}
