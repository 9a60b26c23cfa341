package dev.latchkey.ui;

import static dev.latchkey.ui.HeadlessChromium.testId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.api.ApiClient;
import dev.latchkey.NpmTools;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The runtime's part of the Connectors page: a real server's status, tools, buttons and log, in Chromium. */
class RuntimePageTest {

    private static final String NOT_INSTALLED = "cannot start: the command \"quokka-ghost-mcp\" is not installed (not found on PATH)";

    @RegisterExtension
    static final HeadlessChromium.PerClass browser = new HeadlessChromium.PerClass();

    @TempDir
    Path dataDir;
    private Backend backend;
    private WebDriverWait wait;
    private ApiClient api;

    @BeforeEach
    void startBackend() throws Exception {
        Files.createDirectories(dataDir.resolve("catalog"));
        NpmTools.addEverything(dataDir, "ui__everything");
        Files.writeString(dataDir.resolve("catalog/ui__missing.json"), """
                {"name": "ui__missing", "display_name": "Missing", "server": {"command": "quokka-ghost-mcp"}}
                """);
        backend = Backend.start(AppConfig.of(dataDir));
        api = new ApiClient(backend.port(), backend.secret());
        // Every wait on the page follows the app's own status (InstallWait): it only waits for the page to show it.
        wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(60));
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    @Test
    void a_running_server_shows_its_tools_stops_starts_and_shows_its_log_live() throws Exception {
        String id = install("ui__everything");
        openPage();
        WebElement row = row(id);

        // The app's own word first (a first start may fetch packages); the page then only has to show it.
        InstallWait.until(() -> stored(id), "running");
        awaitStatus(row, "Running");
        WebElement tools = row.findElement(testId("tools"));
        wait.until(ExpectedConditions.textMatches(By.cssSelector("[data-install-id='" + id + "'] [data-testid=tools] summary"),
                java.util.regex.Pattern.compile("\\d+ tools")));
        tools.findElement(By.tagName("summary")).click();
        assertThat(tools.findElements(testId("tool"))).extracting(WebElement::getText).contains("echo", "get-env");

        row.findElement(testId("stop")).click();
        InstallWait.until(() -> stored(id), "stopped", "running");
        awaitStatus(row, "Stopped");
        assertThat(row.findElement(testId("status-reason")).getText()).isEqualTo("Stopped. Press Start to run it again.");
        row.findElement(testId("start")).click();
        InstallWait.until(() -> stored(id), "running", "stopped");
        awaitStatus(row, "Running");

        row.findElement(testId("log")).click();
        WebElement lines = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("log-lines")));
        wait.until(ExpectedConditions.textToBePresentInElement(lines, "[latchkey] running (pid "));
        assertThat(api.post("/api/installs/" + id + "/restart", "{}").statusCode()).isEqualTo(202);
        wait.until(ExpectedConditions.textToBePresentInElement(lines, "[latchkey] stopping (pid "));
    }

    @Test
    void a_failed_server_shows_its_reason_and_the_last_lines_of_its_log() throws Exception {
        String id = install("ui__missing");
        openPage();
        WebElement row = row(id);

        InstallWait.until(() -> stored(id), "failed");
        awaitStatus(row, "Failed");

        assertThat(row.findElement(testId("status-reason")).getText()).isEqualTo(NOT_INSTALLED);
        WebElement log = row.findElement(testId("failed-log"));
        wait.until(ExpectedConditions.textToBePresentInElement(log, "[latchkey] failed: " + NOT_INSTALLED));
        assertThat(row.findElement(testId("start")).isDisplayed()).isTrue();
    }

    private String install(String catalogName) throws Exception {
        HttpResponse<String> created = api.post("/api/installs", "{\"catalogName\": \"" + catalogName + "\", \"auth\": \"none\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return new ObjectMapper().readTree(created.body()).get("id").asText();
    }

    private JsonNode stored(String id) {
        try {
            return new ObjectMapper().readTree(api.get("/api/installs/" + id).body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void openPage() {
        browser.open(backend.newLaunchUrl());
    }

    private WebElement row(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-install-id='" + id + "']")));
    }

    private void awaitStatus(WebElement row, String label) {
        wait.until(ExpectedConditions.textToBePresentInElement(row.findElement(testId("status")), label));
    }

}
