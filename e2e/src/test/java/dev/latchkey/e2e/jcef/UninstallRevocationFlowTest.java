package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.e2e.OAuthWorld;
import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.SystemBrowser;
import dev.latchkey.qa.pages.BrowserTab;
import dev.latchkey.qa.pages.CallbackPage;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstalledList;
import dev.latchkey.qa.pages.InstalledRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/**
 * Uninstalling an OAuth install from the page revokes its grant at the provider. The install is
 * made as a user makes it ({@link OAuthSite}: a real authorization server and the real OAuth
 * proxy): Install in the app's window, the sign-in in the system browser ({@link SystemBrowser}),
 * the row running as the account. Then Uninstall is clicked; the authorization server sees the
 * revocation, sent by the proxy with the client secret only it holds, and once the app has stopped
 * its H2 file holds no install, no connection and no token.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UninstallRevocationFlowTest {

    @RegisterExtension
    static final OAuthSite oauth = new OAuthSite();
    @RegisterExtension
    static final SystemBrowser browser = new SystemBrowser();

    @RegisterExtension
    final LatchkeyExtension latchkey = oauth.app(browser);

    @Test
    void uninstalling_from_the_page_revokes_the_grant_through_the_proxy_and_leaves_no_token(
            WebDriver driver, LatchkeyApp app) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        InstalledRow row = OAuthSite.installFromCard(page);
        String id = row.id();
        BrowserTab signIn = browser.awaitPage();
        CallbackPage done = OAuthSite.signIn(signIn, "alice");
        assertThat(done.title()).isEqualTo("Connected");
        done.close();
        row = page.back().installed().row(id).awaitStatus("running");
        assertThat(row.meta()).contains("alice@example.com");
        oauth.forgetRequests(); // the sign-in's requests are not the revocation

        InstalledList installed = row.uninstall();

        assertThat(installed.ids()).doesNotContain(id);
        assertThat(installed.empty()).isTrue();
        OAuthSite.Revocation revocation = oauth.awaitRevocationRequest();
        assertThat(revocation.form()).as("the revocation names a token").containsPattern("(^|&)token=[^&]+");
        assertThat(revocation.client()).as("sent by the proxy, with the secret only it holds")
                .isEqualTo(OAuthWorld.CLIENT_ID + ":proxy-held-client-secret");
        assertThat(app.api().get("/api/installs/" + id).status()).isEqualTo(404);

        // The app's database, read once the app has stopped (SIGTERM: its shutdown closes H2).
        ProcessHandle leader = app.processes().get(0);
        leader.destroy();
        leader.onExit().get(60, TimeUnit.SECONDS);
        Path database = app.dataDir().resolve("latchkey");
        assertThat(rows(database, "SELECT COUNT(*) FROM installs")).containsExactly("0");
        assertThat(rows(database, "SELECT COUNT(*) FROM connections")).containsExactly("0");
        assertThat(rows(database, "SELECT COUNT(*) FROM secrets")).as("no token left").containsExactly("0");
        assertThat(rows(database, "SELECT event || '|' || COALESCE(detail, '') FROM audit_log WHERE install_id = ? ORDER BY id", id))
                .endsWith("revoked|" + OAuthSite.PROVIDER, "uninstalled|");
    }

    private static List<String> rows(Path database, String sql, Object... args) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + database + ";IFEXISTS=TRUE", "latchkey", "");
             var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            List<String> found = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    found.add(result.getString(1));
                }
            }
            return found;
        }
    }
}
