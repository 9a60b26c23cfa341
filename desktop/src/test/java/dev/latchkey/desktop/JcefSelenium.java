package dev.latchkey.desktop;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Selenium attached to a running JCEF app through its remote-debugging port ({@code
 * debuggerAddress}). Debian's ChromeDriver is newer than CEF's Chromium, so its build check is
 * off; it is named by path so Selenium Manager never downloads a driver.
 */
final class JcefSelenium {

    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private JcefSelenium() {
    }

    static ChromeDriver attach(int debuggingPort) {
        if (!Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("attaching to the JCEF window needs ChromeDriver at " + DRIVER
                    + "; install it: apt-get install -y chromium-driver");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .withBuildCheckDisabled(true)
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setExperimentalOption("debuggerAddress", "127.0.0.1:" + debuggingPort);
        return new ChromeDriver(service, options);
    }

    /** Ends the driver; the app it was attached to keeps running. */
    static void detach(ChromeDriver driver) {
        driver.quit();
    }
}
