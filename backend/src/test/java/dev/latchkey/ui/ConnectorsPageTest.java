package dev.latchkey.ui;

import static dev.latchkey.ui.HeadlessChromium.testId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.api.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The Connectors page in a real headless Chromium, against the real backend on a fresh data dir. */
class ConnectorsPageTest {

    /**
     * A server that needs no sign-in, with a required folder, a secret and a number with a default;
     * its command is not installed, so the runtime fails it at once.
     */
    private static final String NOTES_MANIFEST = """
            {"name": "ui__quokka-notes", "display_name": "Quokka Notes",
             "description": "Notes kept in a folder you choose.",
             "server": {"type": "local", "command": "quokka-notes-mcp", "args": ["${user_config.folder}"],
                        "env": {"NOTES_KEY": "${user_config.api_key}"}},
             "user_config": {
               "folder": {"type": "directory", "title": "Notes folder", "required": true},
               "api_key": {"type": "string", "title": "API key", "sensitive": true},
               "limit": {"type": "number", "title": "Limit", "min": 1, "max": 10, "default": 5}}}
            """;
    /** A server that offers both OAuth and browser login. */
    private static final String CHAT_MANIFEST = """
            {"name": "ui__quokka-chat", "display_name": "Quokka Chat", "description": "Chat, by sign-in.",
             "server": {"type": "local", "command": "npx", "args": ["-y", "quokka-chat-mcp"]},
             "archestra_config": {"oauth": {"provider": "slack", "required": true},
                                  "browser_based": {"required": false, "provider": "slack-browser"}}}
            """;
    /** A server whose command cannot run: listed with its problem, never installable. */
    private static final String BROKEN_COMMAND_MANIFEST = """
            {"name": "ui__quokka-ghost", "display_name": "Quokka Ghost",
             "server": {"type": "local", "command": "unknown"}}
            """;
    private static final String SECRET_VALUE = "quokka-secret-123";
    private static final String NOT_INSTALLED = "cannot start: the command \"quokka-notes-mcp\" is not installed (not found on PATH)";

    @RegisterExtension
    static final HeadlessChromium.PerClass browser = new HeadlessChromium.PerClass();

    @TempDir
    Path dataDir;
    private Backend backend;
    private WebDriverWait wait;
    private ApiClient api;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void startBackend() throws Exception {
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog/ui__quokka-notes.json"), NOTES_MANIFEST);
        Files.writeString(dataDir.resolve("catalog/ui__quokka-chat.json"), CHAT_MANIFEST);
        Files.writeString(dataDir.resolve("catalog/ui__quokka-ghost.json"), BROKEN_COMMAND_MANIFEST);
        Files.writeString(dataDir.resolve("catalog/ui__unreadable.json"), "{\"name\": ");
        backend = Backend.start(AppConfig.of(dataDir));
        api = new ApiClient(backend.port(), backend.secret());
        wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    @Test
    void installs_lists_and_uninstalls_a_server_that_needs_no_sign_in() throws Exception {
        String folder = Files.createDirectories(dataDir.resolve("notes")).toString();
        openPage();
        search("quokka");
        assertThat(visibleCards()).containsExactly("ui__quokka-chat", "ui__quokka-ghost", "ui__quokka-notes");

        card("ui__quokka-notes").findElement(testId("install")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("dialog")));
        assertThat(dialog.findElement(By.id("dialog-title")).getText()).isEqualTo("Install Quokka Notes");
        assertThat(dialog.findElement(By.name("limit")).getDomProperty("value")).isEqualTo("5");
        assertThat(dialog.findElement(By.name("api_key")).getDomProperty("type")).isEqualTo("password");
        dialog.findElement(By.name("folder")).sendKeys(folder);
        dialog.findElement(By.name("api_key")).sendKeys(SECRET_VALUE);
        dialog.findElement(testId("submit")).click();

        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("install-row")));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("dialog")));
        assertThat(row.findElement(By.className("install__title")).getText()).isEqualTo("Quokka Notes");
        wait.until(ExpectedConditions.textToBePresentInElement(row.findElement(testId("status")), "Failed"));
        assertThat(row.findElement(testId("status-reason")).getText()).isEqualTo(NOT_INSTALLED);
        assertThat(settingsShown(row)).isEqualTo(Map.of("Notes folder", folder, "API key", "••••••", "Limit", "5"));
        assertThat(browser.driver().getPageSource()).doesNotContain(SECRET_VALUE);
        JsonNode installs = installs();
        assertThat(installs).hasSize(1);
        assertThat(installs.get(0).get("catalogName").asText()).isEqualTo("ui__quokka-notes");
        assertThat(row.getDomAttribute("data-install-id")).isEqualTo(installs.get(0).get("id").asText());
        assertThat(card("ui__quokka-notes").getDomAttribute("class")).isEqualTo("card card--installed");

        row.findElement(testId("uninstall")).click();
        row.findElement(testId("uninstall-confirm")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(testId("install-row"), 0));
        assertThat(browser.driver().findElement(testId("installed-empty")).getText())
                .isEqualTo("Nothing installed yet. Pick a connector from the catalog below.");
        assertThat(installs()).isEmpty();
    }

    @Test
    void a_required_field_left_empty_shows_the_error_and_installs_nothing() throws Exception {
        openPage();
        card("ui__quokka-notes").findElement(testId("install")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("dialog")));
        dialog.findElement(testId("submit")).click();

        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("error-folder")));
        assertThat(error.getText()).isEqualTo("A value is required.");
        WebElement folder = dialog.findElement(By.name("folder"));
        assertThat(folder.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver().switchTo().activeElement().getDomAttribute("name")).isEqualTo("folder");
        assertThat(dialog.isDisplayed()).isTrue();
        assertThat(installs()).isEmpty();
        assertThat(browser.driver().findElements(testId("install-row"))).isEmpty();
    }

    @Test
    void a_server_offering_oauth_and_browser_login_offers_both_ready_to_install() {
        openPage();
        card("ui__quokka-chat").findElement(testId("install")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("dialog")));

        assertThat(dialog.findElement(testId("auth-oauth")).isSelected()).isTrue();
        dialog.findElement(By.cssSelector("label[for=auth-browser]")).click();
        assertThat(dialog.findElement(testId("auth-browser")).isSelected()).isTrue();
        assertThat(dialog.findElement(testId("auth-choice")).getText()).doesNotContain("Coming soon");
        assertThat(dialog.findElement(testId("submit")).isEnabled()).isTrue();
    }

    @Test
    void the_filter_by_sign_in_kind_shows_only_the_servers_offering_it() {
        openPage();
        search("quokka");

        browser.driver().findElement(testId("filter-oauth")).click();
        assertThat(visibleCards()).containsExactly("ui__quokka-chat");
        assertThat(browser.driver().findElement(testId("filter-oauth")).getDomAttribute("aria-pressed")).isEqualTo("true");
        browser.driver().findElement(testId("filter-none")).click();
        assertThat(visibleCards()).containsExactly("ui__quokka-ghost", "ui__quokka-notes");
        assertThat(browser.driver().findElement(testId("filter-oauth")).getDomAttribute("aria-pressed")).isEqualTo("false");
        search("quokka notes");
        assertThat(visibleCards()).containsExactly("ui__quokka-notes");
        browser.driver().findElement(testId("filter-all")).click();
        search("quokka");
        assertThat(visibleCards()).containsExactly("ui__quokka-chat", "ui__quokka-ghost", "ui__quokka-notes");
    }

    @Test
    void escape_closes_the_dialog_and_gives_focus_back_to_the_button_that_opened_it() {
        openPage();
        WebElement install = card("ui__quokka-notes").findElement(testId("install"));
        install.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(testId("dialog")));
        assertThat(browser.driver().switchTo().activeElement().getDomAttribute("name")).isEqualTo("folder");

        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("dialog")));
        assertThat(browser.driver().switchTo().activeElement()).isEqualTo(install);
    }

    @Test
    void tab_and_shift_tab_keep_focus_inside_the_open_dialog() {
        openPage();
        card("ui__quokka-notes").findElement(testId("install")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("dialog")));
        @SuppressWarnings("unchecked")
        List<WebElement> focusable = (List<WebElement>) browser.driver().executeScript("""
                return [...arguments[0].querySelectorAll('a[href], button:not([disabled]), input:not([disabled]), \
                select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])')]
                    .filter((el) => el.getClientRects().length > 0)""", dialog);
        assertThat(focusable).as("focusable elements of the install dialog").hasSizeGreaterThan(2);
        WebElement first = focusable.get(0);
        WebElement last = focusable.get(focusable.size() - 1);

        for (int i = 0; i < focusable.size() + 2; i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
            assertThat(isInside(dialog, browser.driver().switchTo().activeElement())).as("focus after %d tabs", i + 1).isTrue();
        }
        browser.driver().executeScript("arguments[0].focus()", last);
        browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(browser.driver().switchTo().activeElement()).as("Tab on the last element").isEqualTo(first);
        browser.driver().switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertThat(browser.driver().switchTo().activeElement()).as("Shift+Tab on the first element").isEqualTo(last);
    }

    @Test
    void a_server_that_cannot_run_and_an_unreadable_manifest_are_shown_with_their_reasons() {
        openPage();

        WebElement ghost = card("ui__quokka-ghost");
        assertThat(ghost.findElement(testId("problem")).getText()).isEqualTo("Can’t be installed: command \"unknown\" cannot be run");
        assertThat(ghost.findElements(testId("install"))).isEmpty();
        WebElement problems = browser.driver().findElement(testId("catalog-problems"));
        assertThat(problems.findElement(By.tagName("summary")).getText()).isEqualTo("1 manifest could not be loaded");
        problems.findElement(By.tagName("summary")).click();
        assertThat(problems.findElement(By.tagName("li")).getText()).startsWith("user catalog/ui__unreadable.json ");
    }

    @Test
    void an_install_made_elsewhere_appears_and_disappears_live() throws Exception {
        openPage();
        wait.until(ExpectedConditions.textToBe(testId("live-state"), "Live"));
        String folder = Files.createDirectories(dataDir.resolve("elsewhere")).toString();

        JsonNode created = json.readTree(api.post("/api/installs", """
                {"catalogName": "ui__quokka-notes", "auth": "none", "userConfig": {"folder": "%s"}}
                """.formatted(folder)).body());
        String id = created.get("id").asText();
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-install-id='" + id + "']")));
        assertThat(created.get("status").asText()).isEqualTo("connected");
        wait.until(ExpectedConditions.textToBePresentInElement(row.findElement(testId("status-reason")), NOT_INSTALLED));

        assertThat(api.delete("/api/installs/" + id).statusCode()).isEqualTo(204);
        wait.until(ExpectedConditions.numberOfElementsToBe(testId("install-row"), 0));
    }

    @Test
    void a_page_opened_without_the_launch_link_asks_to_sign_in() {
        browser.driver().manage().deleteAllCookies();
        browser.driver().get("http://127.0.0.1:" + backend.port() + "/");

        WebElement notice = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("signin-notice")));
        assertThat(notice.getText()).isEqualTo("Signed out. Run ./latchkey url and open the link it prints to sign in to this page (each link works once).");
        wait.until(ExpectedConditions.textToBe(testId("live-state"), "Signed out"));
        assertThat(browser.driver().findElements(testId("card"))).isEmpty();
    }

    private void openPage() {
        browser.open(backend.newLaunchUrl());
        assertThat(browser.driver().getCurrentUrl()).isEqualTo("http://127.0.0.1:" + backend.port() + "/");
    }

    private void search(String text) {
        WebElement box = browser.driver().findElement(testId("search"));
        box.clear();
        box.sendKeys(text);
    }

    private List<String> visibleCards() {
        return browser.driver().findElements(By.cssSelector("[data-testid=card]:not([hidden])")).stream()
                .map(card -> card.getDomAttribute("data-name"))
                .toList();
    }

    private WebElement card(String name) {
        return browser.driver().findElement(By.cssSelector("[data-testid=card][data-name='" + name + "']"));
    }

    private static Map<String, String> settingsShown(WebElement row) {
        Map<String, String> shown = new LinkedHashMap<>();
        for (WebElement item : row.findElements(By.className("config__item"))) {
            shown.put(item.findElement(By.tagName("dt")).getText().replaceAll(":$", ""),
                    item.findElement(By.tagName("dd")).getText());
        }
        return shown;
    }

    private boolean isInside(WebElement container, WebElement element) {
        return (Boolean) browser.driver().executeScript("return arguments[0].contains(arguments[1])", container, element);
    }


    private JsonNode installs() throws Exception {
        return json.readTree(api.get("/api/installs").body()).get("installs");
    }
}
