package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.pages.CatalogSection;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstallDialog;
import dev.latchkey.qa.pages.InstalledRow;
import dev.latchkey.qa.pages.LogView;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/** Installing a server that needs no sign-in, in the JCEF window, as a user clicks through it. */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NoSignInFlowTest {

    @RegisterExtension
    final LatchkeyExtension latchkey = new LatchkeyExtension().dataDir(AcmeSite::install);

    @Test
    void a_server_found_by_search_installs_with_its_setting_runs_shows_its_tools_and_log_and_uninstalls(
            WebDriver driver, LatchkeyApp app) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        CatalogSection catalog = page.catalog().filter(CatalogSection.Filter.NONE).search("everything qa");
        assertThat(catalog.shownNames()).containsExactly(AcmeSite.LOCAL);

        InstallDialog dialog = catalog.card(AcmeSite.LOCAL).install().installRefused();
        assertThat(dialog.fieldError("note")).isNotEmpty();
        page = dialog.fill("note", "written by the QA kit").install();

        InstalledRow row = page.installed().newest(AcmeSite.LOCAL_TITLE).awaitStatus("running").awaitTools();
        assertThat(row.tools()).contains("echo", "get-env");
        assertThat(page.installed().count()).isEqualTo("1 server");
        assertThat(app.api().install(row.id()).path("userConfig").path("note").asText()).isEqualTo("written by the QA kit");

        LogView log = row.log();
        assertThat(log.state()).isNotEqualTo("Loading…");
        page = log.close();

        page.installed().row(row.id()).uninstall();
        assertThat(page.installed().empty()).isTrue();
        assertThat(app.api().get("/api/installs/" + row.id()).status()).isEqualTo(404);
    }
}
