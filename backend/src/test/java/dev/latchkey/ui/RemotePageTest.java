package dev.latchkey.ui;

import static dev.latchkey.ui.HeadlessChromium.testId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.api.ApiClient;
import dev.latchkey.remote.EverythingOverHttp;
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

/**
 * Remote servers on the Connectors page, in Chromium: a real remote server added by its address runs
 * with its tools; a remote install, by URL or from a catalog manifest, offers Reconnect and no
 * Start, Stop or Restart (Latchkey connects to it; it does not run it).
 */
class RemotePageTest {

    @RegisterExtension
    static final HeadlessChromium.PerClass browser = new HeadlessChromium.PerClass();

    @TempDir
    Path dataDir;
    private Backend backend;
    private ApiClient api;
    private WebDriverWait wait;
    private EverythingOverHttp everything;

    @BeforeEach
    void start() throws Exception {
        everything = EverythingOverHttp.start("streamableHttp");
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog/ui__far.json"), """
                {"name": "ui__far", "display_name": "Far from the catalog", "server": {"type": "remote", "url": "%s"}}
                """.formatted(everything.url()));
        backend = Backend.start(AppConfig.of(dataDir));
        api = new ApiClient(backend.port(), backend.secret());
        wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        backend.close();
        everything.close();
    }

    @Test
    void a_server_added_by_url_on_the_page_shows_running_with_its_tools() throws Exception {
        browser.open(backend.newLaunchUrl());
        wait.until(ExpectedConditions.elementToBeClickable(testId("remote-add"))).click();
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("remote-form")));
        form.findElement(testId("remote-url")).sendKeys(everything.url().toString());
        form.findElement(testId("remote-name")).sendKeys("Far everything");
        form.findElement(testId("submit")).click();

        JsonNode installs = new ObjectMapper().readTree(api.get("/api/installs").body()).get("installs");
        for (int i = 0; i < 100 && installs.isEmpty(); i++) {
            Thread.sleep(100);
            installs = new ObjectMapper().readTree(api.get("/api/installs").body()).get("installs");
        }
        String id = installs.get(0).get("id").asText();
        InstallWait.until(() -> api.install(id), "running");
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-install-id='" + id + "']")));
        wait.until(ExpectedConditions.textToBePresentInElement(row.findElement(testId("status")), "Running"));
        assertThat(row.getText()).contains("Far everything");
        assertThat(row.findElements(testId("reconnect"))).hasSize(1);
        assertThat(row.findElements(By.cssSelector("[data-testid='start'], [data-testid='stop'], [data-testid='restart']")))
                .as("Latchkey connects a remote server; it does not start or stop one").isEmpty();
    }

    @Test
    void a_remote_catalog_install_offers_reconnect_and_no_start_or_stop() throws Exception {
        HttpResponse<String> created = api.post("/api/installs", "{\"catalogName\":\"ui__far\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = new ObjectMapper().readTree(created.body()).get("id").asText();
        InstallWait.until(() -> api.install(id), "running");
        browser.open(backend.newLaunchUrl());
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-install-id='" + id + "']")));
        wait.until(ExpectedConditions.textToBePresentInElement(row.findElement(testId("status")), "Running"));

        assertThat(row.findElements(testId("reconnect"))).hasSize(1);
        assertThat(row.findElements(By.cssSelector("[data-testid='start'], [data-testid='stop'], [data-testid='restart']")))
                .as("Latchkey connects a remote server; it does not start or stop one").isEmpty();
        assertThat(row.findElements(testId("log"))).hasSize(1);
    }

    @Test
    void a_refused_url_is_said_in_the_form_and_nothing_is_added() throws Exception {
        browser.open(backend.newLaunchUrl());
        wait.until(ExpectedConditions.elementToBeClickable(testId("remote-add"))).click();
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("remote-form")));
        form.findElement(testId("remote-url")).sendKeys("http://mcp.example.com/mcp");
        form.findElement(testId("submit")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOf(form.findElement(testId("form-error"))));
        assertThat(error.getText()).startsWith("remoteUrl: expected an https URL");
        assertThat(new ObjectMapper().readTree(api.get("/api/installs").body()).get("installs")).isEmpty();
    }
}
