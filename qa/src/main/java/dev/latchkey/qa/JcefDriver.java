package dev.latchkey.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;

/**
 * Selenium attached to a running app through its remote-debugging port ({@code debuggerAddress}):
 * every window of the app's CEF — the Connectors page and each login window — is one of the
 * driver's window handles.
 *
 * <p>The version gap, on purpose: Debian's {@code chromium-driver} follows Debian's Chromium, which
 * is newer than the Chromium JCEF is built on, and ChromeDriver refuses a browser of another major
 * version unless its build check is off ({@code --disable-build-check}). The kit turns it off, and
 * says so in one line naming both versions. What the kit does (finding elements, clicking, typing,
 * scripts, screenshots, window handles) is plain WebDriver over the DevTools protocol, which holds
 * across those versions; the kit's own tests are what shows it. The driver is named by path so
 * Selenium Manager never downloads one.
 */
public final class JcefDriver {

    /** The ChromeDriver used unless {@value #DRIVER_PROPERTY} names another. */
    public static final Path DEFAULT_DRIVER = Path.of("/usr/bin/chromedriver");
    public static final String DRIVER_PROPERTY = "latchkey.qa.chromedriver";
    /**
     * ChromeDriver's log level: {@code WARNING} unless this names another ({@code INFO}: every
     * command and answer, the text typed into a page included, so a staging password too).
     */
    public static final String LOG_LEVEL_PROPERTY = "latchkey.qa.chromedriverLog";
    private static final Pattern MAJOR = Pattern.compile("(\\d+)\\.\\d+\\.\\d+\\.\\d+");
    /**
     * Selenium's own warning that its DevTools classes have no version for the app's Chromium
     * ("Unable to find CDP implementation matching 146"): the line this class prints says it once,
     * so that logger is quieted (held here: JUL keeps loggers weakly).
     */
    private static final java.util.logging.Logger CDP_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    private JcefDriver() {
    }

    /** A driver attached to the CEF listening on 127.0.0.1:{@code debuggingPort}, ChromeDriver's own log going to {@code log}. */
    public static ChromeDriver attach(int debuggingPort, Path log) throws IOException, InterruptedException {
        Path driver = Path.of(System.getProperty(DRIVER_PROPERTY, DEFAULT_DRIVER.toString()));
        if (!Files.isExecutable(driver)) {
            throw new IllegalStateException("attaching to the JCEF window needs ChromeDriver at " + driver
                    + "; install it: apt-get install -y chromium-driver");
        }
        String browser = browserVersion(debuggingPort);
        String driverVersion = version(driver);
        System.err.println("[latchkey-qa] ChromeDriver " + driverVersion + " attaches to the app's Chromium " + browser
                + " with its build check off (--disable-build-check): Debian's driver follows Debian's Chromium, "
                + "newer than JCEF's" + (major(driverVersion).equals(major(browser)) ? " (same major here)" : "")
                + "; the kit uses WebDriver commands only, not Selenium's version-bound getDevTools()");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .withBuildCheckDisabled(true)
                .withLogFile(log.toFile())
                .withLogLevel(logLevel())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setExperimentalOption("debuggerAddress", "127.0.0.1:" + debuggingPort);
        return new ChromeDriver(service, options);
    }

    /** The level {@value #LOG_LEVEL_PROPERTY} names; a name ChromeDriver does not know is refused, saying which it knows. */
    static ChromiumDriverLogLevel logLevel() {
        String level = System.getProperty(LOG_LEVEL_PROPERTY, "WARNING");
        try {
            return ChromiumDriverLogLevel.valueOf(level.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(LOG_LEVEL_PROPERTY + " is \"" + level + "\"; it takes one of "
                    + Arrays.toString(ChromiumDriverLogLevel.values()), e);
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    /** The app's Chromium version, as its DevTools {@code /json/version} names it ("Chrome/146.0.7680.179"). */
    static String browserVersion(int debuggingPort) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + debuggingPort + "/json/version")).build(), HttpResponse.BodyHandlers.ofString());
        String browser = new ObjectMapper().readTree(answer.body()).path("Browser").asText();
        return browser.replaceFirst("^[^/]*/", "");
    }

    private static String version(Path driver) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(driver.toString(), "--version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        Matcher matcher = MAJOR.matcher(output);
        return matcher.find() ? matcher.group() : output.trim();
    }

    private static String major(String version) {
        Matcher matcher = MAJOR.matcher(version);
        return matcher.find() ? matcher.group(1) : version;
    }
}
