package com.example.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.StandIn;
import dev.latchkey.qa.pages.CatalogSection;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstalledRow;
import dev.latchkey.qa.pages.LoginWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/** Three flows a QA engineer writes with the kit: the catalog, a no-sign-in install, a browser login. */
class SampleFlowsTest {

    static StandIn site;

    /** The app with the sample's provider and catalog server, and the stand-in's hosts mapped to it. */
    @RegisterExtension
    final LatchkeyExtension latchkey = new LatchkeyExtension()
            .dataDir(SampleFlowsTest::copyData)
            .args(() -> site.switches());

    @BeforeAll
    static void startSite() throws Exception {
        site = StandIn.serve(Path.of("src/test/resources/site"));
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }

    @Test
    void the_catalog_finds_servers_by_words_and_by_sign_in(WebDriver driver, LatchkeyApp app) {
        CatalogSection catalog = ConnectorsPage.open(driver, app).catalog();
        assertTrue(catalog.search("everything").shownNames().contains("modelcontextprotocol__everything"));
        catalog = catalog.search("").filter(CatalogSection.Filter.BROWSER);
        assertTrue(catalog.shownNames().contains("sample__notes"));
        assertFalse(catalog.shownNames().contains("modelcontextprotocol__everything"));
        assertTrue(catalog.card("sample__notes").details().command().contains("server-everything"));
    }

    @Test
    void a_server_with_no_sign_in_installs_runs_and_uninstalls(WebDriver driver, LatchkeyApp app) {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        page = page.catalog().card("modelcontextprotocol__everything").install().fill("note", "from the sample").install();
        InstalledRow row = page.installed().newest("Everything (MCP test server)").awaitStatus("running").awaitTools();
        assertTrue(row.tools().contains("echo"));
        assertTrue(row.uninstall().empty());
    }

    @Test
    void signing_in_in_the_login_window_connects_the_server(WebDriver driver, LatchkeyApp app) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        page = page.catalog().card("sample__notes").install().install();
        InstalledRow row = page.installed().newest("Sample Notes").awaitStatus("pending_auth");
        LoginWindow login = LoginWindow.of(driver, app.api(), "sample-browser");
        login.type("input[name=email]", "qa@sample.test").type("input[name=password]", "any").click("#sign-in");
        page = login.awaitClosed(page);
        row = page.installed().row(row.id()).awaitStatus("running");
        assertEquals("running", row.status());
    }

    private static void copyData(Path dataDir) throws Exception {
        Path from = Path.of("src/test/resources/data");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path to = dataDir.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
