package dev.latchkey.browser.jcef;

import dev.latchkey.browser.QaSwitches;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.friwi.jcefmaven.CefAppBuilder;
import me.friwi.jcefmaven.CefInitializationException;
import me.friwi.jcefmaven.MavenCefAppHandlerAdapter;
import me.friwi.jcefmaven.UnsupportedPlatformException;
import org.cef.CefApp;
import org.cef.CefApp.CefAppState;
import org.cef.CefClient;
import org.cef.CefSettings;
import sun.misc.Signal;

/**
 * The one CEF of this process: the natives installed from the classpath, CEF initialized in
 * windowed mode with its caches and log under the data directory, and its shutdown. Every JCEF
 * window of the app takes its {@link CefClient} from here; nothing else touches {@link CefApp}.
 *
 * <p>The lifecycle, once (after java-cef's test apps):
 * <ol>
 *   <li>{@link Display#problem()} says there is an X display to draw on; CEF started without one
 *       never returns, so this is checked before anything here runs;</li>
 *   <li>{@link #start}: jcefmaven extracts the natives jar from the classpath into the install
 *       directory the first time (the progress handler shows it) and never downloads — a missing
 *       natives jar is an error;</li>
 *   <li>CEF is initialized (and SIGTERM, SIGINT and SIGHUP given back to the JVM, see
 *       {@link #giveSignalsBackToTheJvm()}): windowed rendering (off-screen rendering throws on the Swing thread),
 *       root cache and log file under the data directory, the footprint switches and the QA
 *       switches appended;</li>
 *   <li>each window calls {@link #newClient()} and creates its browser from that client;</li>
 *   <li>a window that closes calls {@code browser.close(true)}; CEF then destroys the browser's
 *       native window and calls {@code onBeforeClose} on its thread, where a login window disposes
 *       its client and the app window calls {@link #shutDown()};</li>
 *   <li>{@link #shutDown()} disposes CefApp, which
 *       closes every client still open and shuts CEF down (its helper processes exit with it);
 *       {@link #awaitTermination()} returns once CEF says {@code TERMINATED}. {@link #close()}
 *       does both, for a caller that ends CEF with no window closing.</li>
 * </ol>
 *
 * <p>Clients and CefApp are disposed on CEF's thread, as java-cef's own apps do: JCEF's
 * {@code CefApp.dispose} and a browser's {@code onBeforeClose} take CefApp's lock and the
 * client's browser map in opposite orders, so disposing CefApp on another thread while a
 * browser closes can deadlock both (the app then never exits).
 */
public final class CefRuntime implements AutoCloseable {

    private static final long SHUTDOWN_WAIT_SECONDS = 10;

    /**
     * Chromium switches for a smaller footprint, each measured (docs/benchmarks.md, "JCEF
     * window"): software compositing, so the GPU process keeps only the display compositor (PSS
     * 69 → 24 MB), and no spare renderer kept warm for a next page nobody opens (one process
     * fewer). A login window's first page starts its renderer when it opens.
     */
    private static final List<String> FOOTPRINT = List.of(
            "--disable-gpu", "--disable-gpu-compositing", "--disable-features=SpareRendererForSitePerProcess");

    /**
     * Environment variables CEF sets with {@code setenv} while its own threads already run (seen
     * with gdb: FC_FONTATIONS on a font thread, DBUS_SESSION_BUS_ADDRESS when there is no session
     * bus), each with the value CEF gives it. Adding a variable can move the C environment while
     * another CEF thread reads it with {@code getenv} (its D-Bus thread does at start), and the
     * JVM dies with SIGSEGV in {@code getenv}: about one start in 50 here. Set before the process
     * starts, CEF's {@code setenv} only replaces a value in place or does nothing, so the launcher
     * ({@code ./latchkey}) and the test JVMs set each one that is unset.
     */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            "FC_FONTATIONS", "1",
            "DBUS_SESSION_BUS_ADDRESS", "disabled:");

    private final CefApp app;
    private final CountDownLatch terminated;

    private CefRuntime(CefApp app, CountDownLatch terminated) {
        this.app = app;
        this.terminated = terminated;
    }

    /**
     * Installs the natives into {@code installDir} when they are not there yet (showing the
     * progress) and initializes CEF with {@code cacheDir} as its root cache, the QA switches, and
     * a remote-debugging port unless it is 0.
     */
    public static CefRuntime start(Path installDir, Path cacheDir, QaSwitches switches, int remoteDebuggingPort) {
        List<String> unset = ENVIRONMENT.keySet().stream().filter(name -> System.getenv(name) == null).sorted().toList();
        if (!unset.isEmpty()) {
            System.err.println("latchkey: " + String.join(" and ", unset) + " not set; the embedded browser sets them"
                    + " while it starts, which can crash the app now and then (./latchkey sets them)");
        }
        CountDownLatch terminated = new CountDownLatch(1);
        CefAppBuilder builder = new CefAppBuilder();
        builder.setInstallDir(installDir.toFile());
        builder.setProgressHandler(new NativesProgress(installDir));
        builder.setMirrors(List.of()); // the natives come from the classpath or not at all
        builder.addJcefArgs(FOOTPRINT.toArray(String[]::new));
        builder.addJcefArgs(switches.chromiumArguments().toArray(String[]::new));
        CefSettings settings = builder.getCefSettings();
        settings.windowless_rendering_enabled = false;
        settings.root_cache_path = cacheDir.toAbsolutePath().toString();
        settings.cache_path = cacheDir.resolve("app").toAbsolutePath().toString();
        settings.log_file = cacheDir.resolve("cef.log").toAbsolutePath().toString();
        settings.log_severity = CefSettings.LogSeverity.LOGSEVERITY_WARNING;
        settings.remote_debugging_port = remoteDebuggingPort;
        builder.setAppHandler(new MavenCefAppHandlerAdapter() {
            @Override
            public void stateHasChanged(CefAppState state) {
                if (state == CefAppState.INITIALIZED) {
                    giveSignalsBackToTheJvm();
                }
                if (state == CefAppState.TERMINATED || state == CefAppState.INITIALIZATION_FAILED) {
                    terminated.countDown();
                }
            }
        });
        try {
            return new CefRuntime(builder.build(), terminated);
        } catch (IOException | UnsupportedPlatformException | CefInitializationException e) {
            throw new IllegalStateException("cannot start the embedded browser (JCEF, install dir " + installDir + "): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the embedded browser", e);
        }
    }

    /**
     * While CEF initializes, Chromium installs handlers of its own for SIGTERM, SIGINT and SIGHUP
     * that end the process with exit code 0 and without the JVM's shutdown: no shutdown hook runs
     * (the backend stays open, {@code instance.json} stays behind). Once CEF is up, they are the
     * JVM's again, ending it as the JVM's own handlers do (exit code 128 + the signal's number).
     * Chromium may install them again as its browser process starts its message loop, after CEF
     * says it is initialized, so the app also calls this once its window is open.
     */
    public static void giveSignalsBackToTheJvm() {
        for (String name : List.of("TERM", "INT", "HUP")) {
            Signal.handle(new Signal(name), signal -> System.exit(128 + signal.getNumber()));
        }
    }

    /** A client for one window; the window disposes it when it closes. */
    public CefClient newClient() {
        return app.createClient();
    }

    /**
     * Starts CEF's shutdown and returns: every client still open is disposed, closing its
     * browsers, and CEF shuts down once the last is gone. Call it on CEF's thread, from the
     * {@code onBeforeClose} of the window whose closing ends the app.
     */
    public void shutDown() {
        app.dispose();
        // A CEF that never reports its end must not keep the app running with no window left: seen
        // once under heavy load (the window gone, TERMINATED never came). Then it is given up on.
        CompletableFuture.delayedExecutor(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS).execute(() -> {
            if (!isTerminated()) {
                System.err.println("latchkey: the embedded browser did not shut down within " + SHUTDOWN_WAIT_SECONDS
                        + " s of its window closing; Latchkey stops anyway");
                terminated.countDown();
            }
        });
    }

    /** Blocks until CEF has shut down, which {@link #shutDown()} or {@link #close()} starts. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /**
     * Disposes CEF and every client still open, and waits (a bounded time) until it has shut
     * down; nothing when it has already. For a caller with no window closing at the time.
     */
    @Override
    public void close() {
        if (isTerminated()) {
            return;
        }
        app.dispose();
        try {
            if (!terminated.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("latchkey: the embedded browser did not shut down within " + SHUTDOWN_WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once CEF has shut down (or failed to start, or was given up on after {@link #shutDown()}). */
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }
}
