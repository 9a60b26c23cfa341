package dev.latchkey.desktop;

import dev.latchkey.Backend;
import dev.latchkey.Doctor;
import dev.latchkey.browser.jcef.CefRuntime;
import dev.latchkey.browser.jcef.Display;
import dev.latchkey.browser.jcef.JcefLogin;
import dev.latchkey.runtime.Runtimes;
import dev.latchkey.sandbox.SandboxSupport;
import dev.latchkey.login.SessionChecks;
import dev.latchkey.store.DataDirInUseException;
import dev.latchkey.store.DataDirLock;
import dev.latchkey.browser.SessionFolders;
import dev.latchkey.browser.chromium.ChromiumLogin;
import dev.latchkey.login.BrowserLogin;
import java.io.IOException;
import java.time.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;

/**
 * Latchkey's entry point and the one place that wires the app together: parse the command line,
 * start the backend, then show the Connectors page in the app's JCEF window (or, with
 * {@code --browser system}, the system browser) or, headless or without a display, print its
 * address.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("latchkey: " + e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        switch (options.command()) {
            case HELP -> System.out.println(LaunchOptions.USAGE);
            case DOCTOR -> System.exit(doctor(options));
            case URL -> System.exit(UrlCommand.run(options.config().dataDir()));
            case MCP -> System.exit(ClientCommands.mcp(options.config().dataDir()));
            case CONNECT -> System.exit(ClientCommands.connect(options.config().dataDir(), options.arguments()));
            case RUN -> System.exit(run(options));
        }
    }

    private static int doctor(LaunchOptions options) {
        List<String> mismatches = Doctor.problems(options.config());
        // Which runtimes servers are started with exist here; a missing one is not a problem of
        // the catalog, so it does not change the exit code.
        Runtimes.report(System.getenv("PATH")).forEach(System.out::println);
        // Whether servers can be sandboxed here, and what to install or enable when not.
        SandboxSupport.probe(System.getenv("PATH")).report().forEach(System.out::println);
        // The OAuth proxy is a service of its own: one it lacks a provider of, or none at all, takes
        // only the OAuth choice away, so neither changes the exit code either.
        Doctor.oauth(options.config()).forEach(System.out::println);
        // A user's server with no pinned version is the user's choice: named, not counted.
        Doctor.unpinned(options.config()).forEach(System.out::println);
        if (mismatches.isEmpty()) {
            System.out.println("latchkey doctor: every catalog server names providers that exist; no problems");
            return 0;
        }
        mismatches.forEach(mismatch -> System.out.println("problem: " + mismatch));
        System.out.println("latchkey doctor: " + mismatches.size() + " problem(s)");
        return 1;
    }

    /**
     * Starts the app, in order: hand over to the app already running on the data directory, if
     * one answers (and exit 0); take the data directory's lock (a locked one is another start's:
     * wait for it to answer, or name its user); listen for later starts; then the window (CEF and
     * the backend side by side) or, without a display, the backend alone.
     */
    private static int run(LaunchOptions options) {
        options.qaWarnings().forEach(warning -> System.err.println("latchkey: " + warning));
        Path dataDir = options.config().dataDir();
        Optional<Integer> handedOver = SingleInstance.handOver(dataDir);
        if (handedOver.isPresent()) {
            return handedOver.get();
        }
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(dataDir);
        } catch (DataDirInUseException e) {
            return SingleInstance.whenLocked(dataDir, e);
        } catch (RuntimeException e) {
            System.err.println("latchkey: " + StartProblems.dataDir(dataDir, e).orElseThrow(() -> e));
            return 1;
        }
        Optional<String> full = StartProblems.tooFull(dataDir);
        if (full.isPresent()) {
            System.err.println("latchkey: " + full.get());
            lock.close();
            return 1;
        }
        CompletableFuture<Supplier<String>> answer = new CompletableFuture<>();
        listen(dataDir, answer);
        if (options.shell() == LaunchOptions.Shell.WINDOW) {
            Optional<String> noWindow = Display.problem(System.getenv());
            if (noWindow.isEmpty()) {
                return runWindow(options, lock, answer);
            }
            Optional<String> missing = StartProblems.missingLibrary(noWindow.get());
            if (missing.isPresent()) {
                System.err.println("latchkey: " + missing.get());
                lock.close();
                return 1;
            }
            System.err.println("latchkey: no window: " + noWindow.get() + "; running as with --headless instead");
        }
        Backend backend = startBackend(options, lock, chromiumLogin(options));
        if (backend == null) {
            return 1;
        }
        if (options.shell() == LaunchOptions.Shell.SYSTEM_BROWSER) {
            openInSystemBrowser(backend.newLaunchUrl(), options.browserLinksDir());
            answer.complete(() -> {
                openInSystemBrowser(backend.newLaunchUrl(), options.browserLinksDir());
                return "browser";
            });
            return serve();
        }
        answer.complete(() -> "url " + backend.newLaunchUrl());
        return runWithoutWindow(backend);
    }

    /**
     * Answers later starts on the data directory's socket with what {@code answer} will give once
     * this app is up; without the socket the app still runs, and a later start says it is in use.
     */
    private static void listen(Path dataDir, CompletableFuture<Supplier<String>> answer) {
        try {
            InstanceSocket socket = InstanceSocket.listen(dataDir, () -> answer.join().get());
            Runtime.getRuntime().addShutdownHook(new Thread(socket::close, "latchkey-socket-close"));
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("latchkey: a second start cannot hand over to this one (no socket "
                    + dataDir.resolve(InstanceSocket.NAME) + ": " + e.getMessage() + ")");
        }
    }

    /**
     * The backend on the data directory whose {@code lock} this process holds, with {@code login}
     * for browser-login installs, closed again when the JVM exits; null (with the reason printed)
     * when it cannot start on that data directory.
     */
    private static Backend startBackend(LaunchOptions options, DataDirLock lock, BrowserLogin login) {
        try {
            Backend backend = Backend.start(lock, options.config(), login, SessionChecks.direct());
            Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "latchkey-shutdown"));
            return backend;
        } catch (RuntimeException e) {
            System.err.println("latchkey: " + StartProblems.dataDir(options.config().dataDir(), e).orElseThrow(() -> e));
            return null;
        }
    }

    /**
     * The Connectors page in the app's own JCEF window, signed in through a launch URL handed to
     * CEF in this process; returns once the window is closed and CEF has shut down. The window is
     * shown at once; CEF's libraries load, CEF initializes and its browser starts on a blank page
     * while the backend starts (the data dir's lock is already held, so CEF's cache under it is
     * this process's), and the page is loaded once the backend is up. Browser-login installs sign in in JCEF login windows of the
     * same CEF; should CEF not start, they end with that reason, and the page is served headless
     * — but a missing library ends the start, naming its package.
     */
    private static int runWindow(LaunchOptions options, DataDirLock lock, CompletableFuture<Supplier<String>> answer) {
        CompletableFuture<JFrame> window = AppWindow.early();
        // A thread of its own: on two cores the common pool has one thread, and the backend's
        // start needs it meanwhile.
        CompletableFuture<CefRuntime> starting = CompletableFuture.supplyAsync(() -> CefRuntime.start(
                options.jcefDir(), options.browserCacheDir(), options.qaSwitches(), options.remoteDebuggingPort()),
                task -> new Thread(task, "latchkey-cef-start").start());
        CompletableFuture<AppWindow.Page> blank = window.thenCompose(frame ->
                starting.thenCompose(cef -> AppWindow.blank(cef, options.browserLinksDir(), frame)));
        Backend backend = startBackend(options, lock, new JcefLogin(starting::join,
                SessionFolders.under(options.config().dataDir()), Clock.systemUTC()));
        CefRuntime cef;
        try {
            cef = starting.join();
        } catch (CompletionException e) {
            Optional<String> missing = StartProblems.missingLibrary(e.getCause());
            System.err.println("latchkey: " + missing.orElse(e.getCause().getMessage()));
            if (backend == null || missing.isPresent()) {
                return 1;
            }
            window.thenAccept(frame -> SwingUtilities.invokeLater(frame::dispose));
            answer.complete(() -> "url " + backend.newLaunchUrl());
            return runWithoutWindow(backend);
        }
        try {
            if (backend == null) {
                return 1;
            }
            AppWindow.Page page = blank.join();
            page.load(backend.newLaunchUrl());
            answer.complete(() -> {
                AppWindow.toFront(page.frame());
                return "window";
            });
            CefRuntime.giveSignalsBackToTheJvm();
            System.out.println("Latchkey is running in its window; closing it stops Latchkey.");
            System.out.flush();
            cef.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            cef.close();
        }
        return 0;
    }

    /** Headless, without a display, or when CEF cannot start: the page's address printed, and served. */
    private static int runWithoutWindow(Backend backend) {
        System.out.println("Latchkey is running. Open " + backend.newLaunchUrl());
        return serve();
    }

    /** Serves until the JVM is stopped. */
    private static int serve() {
        System.out.flush();
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * The login window for browser-login installs when the app has no JCEF window
     * ({@code --headless}, {@code --browser system}, no display): Debian's Chromium, shown when
     * there is a display and headless without one (then only QA can drive it, through its
     * DevTools port).
     */
    private static BrowserLogin chromiumLogin(LaunchOptions options) {
        // Only the environment is asked: opening the display (AWT) is the app window's step, and a
        // headed Chromium on a display it cannot open ends the sign-in with that reason.
        String display = System.getenv("DISPLAY");
        boolean noDisplay = display == null || display.isBlank();
        return new ChromiumLogin(SessionFolders.under(options.config().dataDir()), options.qaSwitches(), noDisplay,
                Clock.systemUTC());
    }

    private static void openInSystemBrowser(String url, Path linksFolder) {
        if (SystemBrowser.open(url, linksFolder)) {
            System.out.println("Latchkey is running; opened the Connectors page in your browser. If it did not open: " + url);
        } else {
            System.out.println("Latchkey is running. Open " + url);
        }
    }
}
