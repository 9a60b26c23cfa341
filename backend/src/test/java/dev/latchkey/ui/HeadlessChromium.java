package dev.latchkey.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Debian's ChromeDriver. Both are named by path so that
 * Selenium Manager never looks for (or downloads) a browser or driver of its own.
 */
public final class HeadlessChromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** The page's element with {@code data-testid="id"}. */
    public static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    /** Starts a browser with its profile in {@code profileDir} and a 1280×1000 window. */
    public static ChromeDriver start(Path profileDir) {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("the UI tests need Chromium at " + BROWSER + " and ChromeDriver at "
                    + DRIVER + "; install them: apt-get install -y chromium chromium-driver");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-sync", "--window-size=1280,1000", "--user-data-dir=" + profileDir.toAbsolutePath());
        return new ChromeDriver(service, options);
    }

    /**
     * One browser for a whole test class, with a profile of its own:
     * {@code @RegisterExtension static final HeadlessChromium.PerClass browser = new HeadlessChromium.PerClass();}
     */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private Path profileDir;
        private ChromeDriver driver;

        public ChromeDriver driver() {
            return driver;
        }

        /** Opens the Connectors page through {@code launchUrl} and waits until its catalog has loaded. */
        public void open(String launchUrl) {
            driver.get(launchUrl);
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(ExpectedConditions.invisibilityOfElementLocated(testId("catalog-loading")));
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            profileDir = Files.createTempDirectory("latchkey-chromium-");
            driver = start(profileDir);
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            if (driver != null) {
                driver.quit();
            }
            try (Stream<Path> paths = Files.walk(profileDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
