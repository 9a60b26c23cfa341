package dev.latchkey.browser.chromium;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The test's hands in a login window: a second ChromeDriver attached to the window's Chromium
 * through its DevTools port (the way QA attaches), found in the profile's {@code DevToolsActivePort}.
 * It types, clicks and closes like a user; it decides nothing.
 */
final class LoginWindowDriver implements AutoCloseable {

    private final ChromeDriver driver;

    private LoginWindowDriver(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Attaches to the login window whose profile is {@code profile}, once its page is on {@code host}. */
    static LoginWindowDriver attach(Path profile, String host) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        Instant deadline = Instant.now().plusSeconds(20);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the login window did not start: no " + portFile);
            }
            Thread.sleep(50);
        }
        List<String> lines = Files.readAllLines(portFile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(ChromiumLogin.BROWSER.toFile());
        options.setExperimentalOption("debuggerAddress", "127.0.0.1:" + lines.get(0).trim());
        ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(ChromiumLogin.DRIVER.toFile()).usingAnyFreePort().build(), options);
        LoginWindowDriver window = new LoginWindowDriver(driver);
        window.waitUntil(() -> window.host().equals(host), "the window to show " + host);
        return window;
    }

    String url() {
        return driver.getCurrentUrl();
    }

    String host() {
        return java.net.URI.create(url()).getHost() == null ? "" : java.net.URI.create(url()).getHost();
    }

    void type(String id, String text) {
        driver.findElement(By.id(id)).sendKeys(text);
    }

    /**
     * Clicks like a user. A click that completes the sign-in lets Latchkey close the window while
     * ChromeDriver still waits on the page it set off, and ChromeDriver then reports the window's
     * frame or the window gone: the click was made, so that is not an error here.
     */
    void click(String id) {
        WebElement element = driver.findElement(By.id(id));
        try {
            element.click();
        } catch (WebDriverException e) {
            if (!wentAway(e)) {
                throw e;
            }
        }
    }

    private static boolean wentAway(WebDriverException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("target frame detached") || message.contains("no such window")
                || message.contains("target window already closed");
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    void typeUrl(String url) {
        driver.get(url);
    }

    int windows() {
        return driver.getWindowHandles().size();
    }

    /** What the window's bar says was refused last. */
    String refusedBar() {
        return text("latchkey-login-refused");
    }

    /** Waits until the window's bar says {@code text} was refused last. */
    void waitForRefused(String text) {
        waitUntil(() -> refusedBar().equals("Refused: " + text), "the bar to say \"Refused: " + text + "\"");
    }

    /** Closes the login window, as a user clicking its close button. */
    void closeWindow() {
        try {
            driver.close();
        } catch (WebDriverException e) {
            // the browser went away with its last window
        }
    }

    void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(50)).withMessage(() -> "waited for " + what
                        + "; the window shows " + driver.getCurrentUrl() + " with the bar " + barText())
                .ignoring(WebDriverException.class).until(d -> condition.getAsBoolean());
    }

    private String barText() {
        try {
            return "\"" + text("latchkey-login-bar") + "\"";
        } catch (WebDriverException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (WebDriverException e) {
            // the attached browser is already gone
        }
    }
}
