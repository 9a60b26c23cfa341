package dev.latchkey.ui;

import static dev.latchkey.ui.HeadlessChromium.testId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The page's MCP clients section in a real headless Chromium, against the real backend and its /mcp. */
class ClientsPageTest {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"page-test\",\"version\":\"1\"}}}";

    @RegisterExtension
    static final HeadlessChromium.PerClass browser = new HeadlessChromium.PerClass();

    @TempDir
    Path dataDir;
    private Backend backend;
    private WebDriverWait wait;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startBackend() {
        backend = Backend.start(AppConfig.of(dataDir));
        wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    @Test
    void a_client_added_on_the_page_shows_its_token_once_is_listed_and_can_be_revoked() throws Exception {
        openPage();

        browser.driver().findElement(testId("client-add")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("dialog")));
        dialog.findElement(testId("client-name")).sendKeys("Zed on my laptop");
        dialog.findElement(testId("client-add-confirm")).click();
        String token = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("client-token"))).getText();

        assertThat(token).startsWith("lkc_");
        assertThat(mcpStatus(token)).as("the token shown opens /mcp").isEqualTo(200);
        WebElement row = clientRow("Zed on my laptop");
        assertThat(row.findElement(testId("client-state")).getText()).isEqualTo("may use every install");
        assertThat(row.findElement(testId("client-calls")).getText()).isEqualTo("0 call(s), last never");

        browser.driver().findElement(By.id("dialog-close")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("dialog")));
        assertThat(browser.driver().getPageSource()).doesNotContain(token);
        openPage();
        clientRow("Zed on my laptop");
        assertThat(browser.driver().getPageSource()).as("the token is not shown again").doesNotContain(token);

        String id = clientRow("Zed on my laptop").getDomAttribute("data-client-id");
        clientRow("Zed on my laptop").findElement(testId("client-revoke")).click();

        wait.until(ExpectedConditions.textMatches(By.cssSelector("[data-client-id='" + id + "'] [data-testid='client-state']"),
                Pattern.compile("^revoked ")));
        assertThat(clientRow("Zed on my laptop").findElements(testId("client-revoke"))).isEmpty();
        assertThat(mcpStatus(token)).as("a revoked token no longer opens /mcp").isEqualTo(401);
    }

    private void openPage() {
        browser.open(backend.newLaunchUrl());
    }

    /** The row of the client named {@code name}, once the list shows it. */
    private WebElement clientRow(String name) {
        return wait.until(page -> page.findElements(testId("client")).stream()
                .filter(row -> row.findElement(By.tagName("strong")).getText().equals(name))
                .findFirst().orElse(null));
    }

    private int mcpStatus(String token) throws Exception {
        HttpRequest initialize = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + "/mcp"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE))
                .build();
        return http.send(initialize, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

}
