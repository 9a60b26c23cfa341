package dev.latchkey.browser.chromium;

import dev.latchkey.browser.QaSwitches;
import dev.latchkey.browser.SessionFolders;
import dev.latchkey.login.BrowserLogin;
import dev.latchkey.login.LoginCancel;
import dev.latchkey.login.LoginOutcome;
import dev.latchkey.login.LoginRequest;
import dev.latchkey.login.SessionKey;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openqa.selenium.PageLoadStrategy;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login port on Debian's Chromium, driven by ChromeDriver and the Chrome DevTools Protocol:
 * for {@code --headless} and {@code --browser system} launches and for tests. One Chromium per
 * sign-in, on a throw-away user-data-dir (the session's folder, made empty and 0700 for the
 * sign-in, deleted once Chromium has quit), so accounts never share cookies and nothing of a
 * session stays on disk: what a sign-in yields is the values it read, which the backend keeps in
 * the vault. Both programs are named by path, so Selenium never looks for (or downloads) a
 * browser or driver of its own.
 */
public final class ChromiumLogin implements BrowserLogin, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChromiumLogin.class);
    public static final Path BROWSER = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** How long the next use of a profile waits for the Chromium that is still closing on it. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final SessionFolders sessions;
    private final QaSwitches switches;
    private final boolean headless;
    /** Chromiums closing after a sign-in that gave values, by profile (a profile is one per process, whoever opened it). */
    private static final Map<Path, Thread> closing = new ConcurrentHashMap<>();
    private final Clock clock;

    /**
     * @param headless true to run Chromium without a window (no display, or tests); false shows a
     *                 normal Chromium window the user signs in through
     */
    public ChromiumLogin(SessionFolders sessions, QaSwitches switches, boolean headless, Clock clock) {
        this.sessions = sessions;
        this.switches = switches;
        this.headless = headless;
        this.clock = clock;
    }

    @Override
    public LoginOutcome signIn(LoginRequest request, LoginCancel cancel) {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            return new LoginOutcome.Failed("browser login needs Chromium at " + BROWSER + " and ChromeDriver at " + DRIVER
                    + "; install them: apt-get install -y chromium chromium-driver");
        }
        SessionKey session = request.session();
        awaitClosed(session.under(sessions.root()));
        sessions.delete(session);
        Path profile = sessions.create(session);
        ChromeDriver driver;
        try {
            driver = start(profile);
        } catch (WebDriverException e) {
            sessions.delete(session);
            return new LoginOutcome.Failed("Chromium could not start for the sign-in: " + firstLine(e.getMessage()));
        }
        LoginOutcome outcome = null;
        try {
            outcome = new ChromiumWindow(driver, request, clock).run(cancel);
            return outcome;
        } finally {
            if (outcome instanceof LoginOutcome.Extracted) {
                closeLater(profile, () -> quitAndDelete(driver, session));
            } else {
                // An interrupted thread cannot talk to ChromeDriver: clear the flag to close the window, then set it again.
                boolean interrupted = Thread.interrupted();
                quitAndDelete(driver, session);
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Chromium quits, then its throw-away profile goes. */
    private void quitAndDelete(ChromeDriver driver, SessionKey session) {
        quit(driver);
        try {
            sessions.delete(session);
        } catch (UncheckedIOException e) {
            LOG.warn("the throw-away profile of a sign-in was not deleted: {}", e.getMessage());
        }
    }

    /**
     * Values in hand, the window closes while the backend stores them: quitting Chromium takes a
     * few hundred milliseconds that the values need not wait for. The closing thread is not a
     * daemon, so an app that ends normally still closes the window first; the session's next
     * window, {@link #forget} and {@link #close} wait for it.
     */
    private static void closeLater(Path profile, Runnable quit) {
        Thread thread = new Thread(quit, "latchkey-login-close");
        thread.setDaemon(false);
        closing.put(profile, thread);
        thread.start();
    }

    /** Waits (bounded) until a Chromium still closing on this profile has gone. */
    private static void awaitClosed(Path profile) {
        Thread thread = closing.remove(profile);
        if (thread == null) {
            return;
        }
        try {
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for every window still closing. */
    @Override
    public void close() {
        for (Path profile : List.copyOf(closing.keySet())) {
            awaitClosed(profile);
        }
    }

    @Override
    public void forget(SessionKey session) {
        awaitClosed(session.under(sessions.root()));
        sessions.delete(session);
    }

    private ChromeDriver start(Path profile) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.setPageLoadStrategy(PageLoadStrategy.NONE);
        // No "Chrome is being controlled by automated test software" bar over the login page.
        options.setExperimentalOption("excludeSwitches", List.of("enable-automation"));
        options.addArguments("--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                "--disable-sync", "--disable-background-networking", "--disable-component-update",
                "--password-store=basic", "--disable-dev-shm-usage", "--window-size=1000,800");
        if (headless) {
            options.addArguments("--headless=new", "--disable-gpu");
        }
        if ("root".equals(System.getProperty("user.name"))) {
            // Chromium refuses to run as root with its sandbox (CI runs as root).
            options.addArguments("--no-sandbox");
        }
        options.addArguments(switches.chromiumArguments());
        return new ChromeDriver(service, options);
    }

    private static void quit(ChromeDriver driver) {
        try {
            driver.quit();
        } catch (WebDriverException e) {
            // The window is already gone (the user closed it); nothing is left to close.
        }
    }

    static String firstLine(String text) {
        if (text == null) {
            return "no detail";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
