package dev.latchkey.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ui.HeadlessChromium;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person installs an OAuth server on the Connectors page in headless Chromium, signs in at the
 * authorization server (mock-oauth2-server's login form) through the real proxy, comes back, and
 * sees the install connected; the token is in the vault and the launch spec, and nowhere a person
 * or a log could read it.
 */
class OAuthPageTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path profileDir;
    private OAuthWorld world;
    private ChromeDriver driver;
    private WebDriverWait wait;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        world = new OAuthWorld(dataDir, true).start();
        driver = HeadlessChromium.start(profileDir);
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        world.close();
        System.setErr(originalErr);
    }

    @Test
    void installs_an_oauth_server_signs_in_through_the_proxy_and_shows_it_connected() throws Exception {
        driver.get(world.backend.newLaunchUrl());
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("catalog-loading")));
        String connectors = driver.getWindowHandle();
        WebElement search = driver.findElement(testId("search"));
        search.sendKeys("E2E acme");
        driver.findElement(By.cssSelector("[data-testid=card][data-name='e2e__acme']")).findElement(testId("install")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("dialog")));
        wait.until(ExpectedConditions.textToBe(testId("oauth-note"), "You will sign in on acme’s own page in your browser."));
        driver.executeScript("window.opened = []; const open = window.open;"
                + " window.open = (url, ...rest) => { window.opened.push(String(url)); return open.call(window, url, ...rest); };");
        dialog.findElement(testId("submit")).click();

        // The sign-in page opens in a tab of its own, as it would in the system browser, through
        // the one-time loopback link: the authorization URL is never what the page opens or shows.
        wait.until(ExpectedConditions.numberOfWindowsToBe(2));
        assertThat(driver.executeScript("return window.opened;").toString())
                .matches("\\[http://127\\.0\\.0\\.1:" + world.appPort + "/oauth/go/[A-Za-z0-9_-]{43}\\]");
        WebElement row = driver.findElement(testId("install-row"));
        assertThat(row.findElement(testId("status")).getText()).isEqualTo("Waiting for sign-in");
        assertThat(row.findElement(testId("open-sign-in")).getText()).isEqualTo("Open sign-in page");
        assertThat(driver.getPageSource()).doesNotContain("code_challenge");
        assertThat(row.findElement(testId("copy-sign-in-link")).getText()).isEqualTo("Copy link");
        String signInTab = driver.getWindowHandles().stream().filter(handle -> !handle.equals(connectors)).findFirst().orElseThrow();
        driver.switchTo().window(signInTab);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username"))).sendKeys("alice");
        driver.findElement(By.name("claims")).sendKeys("{\"email\": \"alice@example.com\"}");
        driver.findElement(By.cssSelector("input[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(testId("callback-title"), "Connected"));
        assertThat(driver.findElement(testId("callback-message")).getText())
                .isEqualTo("E2E acme is connected as alice@example.com. You can close this tab and go back to Latchkey.");
        driver.close();
        driver.switchTo().window(connectors);

        // Connected, then started by the MCP runtime with the token: the row ends at Running, as the account's.
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=install-row] [data-testid=status]"), "Running"));
        row = driver.findElement(testId("install-row"));
        assertThat(row.getText()).contains("alice@example.com");
        assertThat(row.findElement(testId("reconnect")).getText()).isEqualTo("Reconnect");

        String id = row.getDomAttribute("data-install-id");
        String token = world.backend.launchSpecs().forInstall(id).env().get("ACME_ACCESS_TOKEN");
        assertThat(token).as("the token is in the launch spec's env").isNotBlank();
        assertThat(world.credential(id, "accessToken")).as("the token is in the vault").isEqualTo(token);
        List<String> answers = new ArrayList<>();
        for (String path : List.of("/api/installs", "/api/installs/" + id + "/launch", "/api/oauth", "/api/catalog",
                "/api/providers")) {
            answers.add(world.get(path).body());
        }
        answers.add(driver.getPageSource());
        assertThat(answers).noneMatch(answer -> answer.contains(token));
        world.stopApp();
        world.stopProxy();
        assertThat(Files.readAllBytes(dataDir.resolve("latchkey.mv.db"))).asString(StandardCharsets.ISO_8859_1)
                .as("the H2 file").doesNotContain(token);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the log saw the exchange").contains("acme code answered in");
        assertThat(logged).as("the log").doesNotContain(token);
    }

    private static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }
}
