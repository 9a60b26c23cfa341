package dev.latchkey.qa;

import dev.latchkey.qa.pages.BrowserTab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * The user's own browser, for OAuth sign-ins: Debian's Chromium, headless, driven by its own
 * ChromeDriver (the same version, no build check to turn off). The app hands a page to the system
 * browser the freedesktop way, {@code xdg-open}, which asks for the default application of
 * {@code text/html} (the app hands it an owner-only {@code file:} page that forwards on) or of the
 * URL's scheme, and then {@code $BROWSER}. {@link #environment()} makes a small handler of the
 * kit's that default for the app alone — a {@code mimeapps.list} in its own
 * {@code XDG_CONFIG_HOME}, the desktop entry in its own {@code XDG_DATA_HOME}, {@code BROWSER} for
 * xdg-open's fallback, {@code MAILCAPS} for {@code run-mailcap}, and {@code XDG_CURRENT_DESKTOP=X-Generic} so that no desktop's own opener
 * (gio, kde-open) is asked instead. The handler only writes down what it is handed;
 * {@link #awaitPage()} opens the next such page in a new tab, as the user's browser would have.
 *
 * <p>Use: {@code @RegisterExtension static final SystemBrowser browser = new SystemBrowser();}
 * and {@code new LatchkeyExtension().environment(browser::environment)}; or {@link #open()} and
 * {@link #close()} by hand. Registered, it adds to a failed test's evidence a screenshot and the
 * DOM of each of its tabs ({@code system-browser-N.png}, {@code .html}) and {@code system-browser.txt}
 * (each tab's address, and every address it was handed).
 */
public final class SystemBrowser implements BeforeAllCallback, AfterAllCallback, AfterEachCallback, AutoCloseable {

    /** Debian's Chromium and its driver, named by path so that Selenium Manager never downloads one. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String DESKTOP_ENTRY = "latchkey-qa-browser.desktop";

    private Path root;
    private Path handed;
    private ChromeDriver driver;
    /** The browser's first tab, left open: a new tab is opened from it (the last one may have closed). */
    private String home;
    private int taken;

    /** A system browser started now (for use outside an extension); {@link #close()} ends it. */
    public static SystemBrowser open() throws IOException {
        SystemBrowser browser = new SystemBrowser();
        browser.start();
        return browser;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        close();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isEmpty() || driver == null) {
            return;
        }
        Path folder = Evidence.folder(context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName());
        try {
            Files.createDirectories(folder);
            StringBuilder listing = new StringBuilder();
            int n = 0;
            for (String handle : driver.getWindowHandles()) {
                String name = "system-browser-" + ++n;
                driver.switchTo().window(handle);
                listing.append(name).append("  ").append(driver.getCurrentUrl()).append('\n');
                Files.write(folder.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
                Files.writeString(folder.resolve(name + ".html"), driver.getPageSource());
            }
            listing.append("handed to the system browser:\n");
            handed().forEach(url -> listing.append("  ").append(url).append('\n'));
            Files.writeString(folder.resolve("system-browser.txt"), listing);
        } catch (IOException | RuntimeException e) {
            System.err.println("[latchkey-qa] the system browser's evidence could not be saved in " + folder + ": " + e);
        }
    }

    private void start() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the system browser is Chromium at " + CHROMIUM + " with ChromeDriver at "
                    + CHROMEDRIVER + "; install them: apt-get install -y chromium chromium-driver");
        }
        root = Files.createTempDirectory("latchkey-qa-browser-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        handed = root.resolve("handed.txt");
        Files.createFile(handed);
        taken = 0; // a new record: the same extension may start again (a class run twice in one JVM)
        Path handler = root.resolve("open");
        // One line per page, appended whole (a line under PIPE_BUF is written at once).
        Files.writeString(handler, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + handed + "'\n");
        Files.setPosixFilePermissions(handler, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/mimeapps.list"), "[Default Applications]\n"
                + "text/html=" + DESKTOP_ENTRY + "\nx-scheme-handler/http=" + DESKTOP_ENTRY
                + "\nx-scheme-handler/https=" + DESKTOP_ENTRY + "\n");
        // run-mailcap, which xdg-open asks when it cannot tell a file's type, reads only these.
        Files.writeString(root.resolve("mailcap"), "text/html; " + handler + " %s\n");
        Files.createDirectories(root.resolve("data/applications"));
        Files.writeString(root.resolve("data/applications").resolve(DESKTOP_ENTRY), "[Desktop Entry]\nType=Application\n"
                + "Name=Latchkey QA system browser\nExec=" + handler + " %u\n"
                + "MimeType=text/html;x-scheme-handler/http;x-scheme-handler/https;\n");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + root.resolve("profile"));
        driver = new ChromeDriver(service, options);
        home = driver.getWindowHandle();
    }

    /**
     * The app's environment that makes this browser its system browser: read just before each
     * start of the app, {@code new LatchkeyExtension().environment(browser::environment)}.
     */
    public Map<String, String> environment() {
        return Map.of("XDG_CONFIG_HOME", root.resolve("config").toString(),
                "XDG_DATA_HOME", root.resolve("data").toString(),
                "BROWSER", root.resolve("open").toString(),
                "MAILCAPS", root.resolve("mailcap").toString(),
                "XDG_CURRENT_DESKTOP", "X-Generic");
    }

    /**
     * Every address the app has handed to the system browser so far; a file xdg-open handed on as
     * a path is given as its {@code file:} URL.
     */
    public List<String> handed() throws IOException {
        return Files.readAllLines(handed).stream().filter(line -> !line.isBlank())
                .map(line -> line.startsWith("/") ? Path.of(line).toUri().toString() : line).toList();
    }

    /**
     * Waits until the app hands the browser a page it has not opened yet, opens it in a new tab and
     * waits until it has loaded and left any forwarding page: that tab.
     */
    public BrowserTab awaitPage() {
        String next = new FluentWait<>(this).withTimeout(limit()).pollingEvery(Duration.ofMillis(100))
                .withMessage(() -> "a page handed to the system browser (" + taken + " so far)")
                .until(browser -> browser.next());
        driver.switchTo().window(home).switchTo().newWindow(WindowType.TAB);
        driver.get(next);
        return new BrowserTab(driver, driver.getWindowHandle());
    }

    /** The browser's driver, for what the page objects do not cover. */
    public ChromeDriver driver() {
        return driver;
    }

    private String next() {
        try {
            List<String> lines = handed();
            if (lines.size() > taken) {
                return lines.get(taken++);
            }
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("the system browser's record " + handed + " cannot be read", e);
        }
    }

    private static Duration limit() {
        return Duration.ofSeconds(Long.getLong(dev.latchkey.qa.pages.PageObject.WAIT_PROPERTY,
                dev.latchkey.qa.pages.PageObject.DEFAULT_WAIT.toSeconds()));
    }

    /** Quits the browser and deletes its profile and handler. */
    @Override
    public void close() throws IOException {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (root != null) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            root = null;
        }
    }
}
