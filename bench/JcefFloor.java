import dev.latchkey.browser.QaSwitches;
import dev.latchkey.browser.jcef.CefRuntime;
import java.awt.BorderLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;
import org.cef.CefClient;
import org.cef.browser.CefBrowser;
import org.cef.handler.CefDisplayHandlerAdapter;
import org.cef.handler.CefLifeSpanHandlerAdapter;
import org.cef.CefSettings;

/**
 * The floor under the JCEF window's start: this JVM starts the app's CEF ({@link CefRuntime},
 * same switches, no backend, no page of the app) and opens one window on a page of one heading,
 * which reports its First Contentful Paint to the console. Prints, against this process's start
 * time (from /proc, 10 ms steps): when CEF was up, when the window was shown, when the page's
 * navigation started, and its first paint, in milliseconds, as one line
 * {@code floor cef=… window=… navigation=… paint=…}, then closes the window, which
 * shuts CEF down as the app's window does, and exits.
 *
 * <p>Run by bench/jcef-floor.sh with the app's class path; LATCHKEY_JCEF_DIR names the natives.
 */
public class JcefFloor {

    private static final String PAGE = "data:text/html,<title>floor</title><h1>Latchkey</h1><script>"
            + "new PerformanceObserver(l => { for (const e of l.getEntries()) if (e.name === 'first-contentful-paint')"
            + " console.log('paint ' + performance.timeOrigin + ' ' + (performance.timeOrigin + e.startTime)); })"
            + ".observe({type: 'paint', buffered: true});</script>";

    public static void main(String[] args) throws Exception {
        Instant start = ProcessHandle.current().info().startInstant().orElseThrow();
        Path cache = Files.createTempDirectory("jcef-floor");
        CefRuntime cef = CefRuntime.start(Path.of(System.getenv("LATCHKEY_JCEF_DIR")), cache, QaSwitches.NONE, 0);
        long cefUp = since(start);
        CompletableFuture<String> painted = new CompletableFuture<>();
        long[] shown = new long[1];
        CefBrowser[] opened = new CefBrowser[1];
        SwingUtilities.invokeAndWait(() -> {
            CefClient client = cef.newClient();
            client.addLifeSpanHandler(new CefLifeSpanHandlerAdapter() {
                @Override
                public void onBeforeClose(CefBrowser browser) {
                    cef.shutDown(); // on CEF's thread, as the app window does
                }
            });
            client.addDisplayHandler(new CefDisplayHandlerAdapter() {
                @Override
                public boolean onConsoleMessage(CefBrowser browser, CefSettings.LogSeverity level, String message,
                        String source, int line) {
                    if (message.startsWith("paint ")) {
                        painted.complete(message);
                    }
                    return true;
                }
            });
            CefBrowser browser = client.createBrowser(PAGE, false, false);
            opened[0] = browser;
            JFrame frame = new JFrame("floor");
            frame.getContentPane().add(browser.getUIComponent(), BorderLayout.CENTER);
            frame.setSize(1200, 820);
            frame.setVisible(true);
            shown[0] = since(start);
        });
        String[] paint = painted.get(60, TimeUnit.SECONDS).split(" ");
        long navigation = Math.round(Double.parseDouble(paint[1])) - start.toEpochMilli();
        long firstPaint = Math.round(Double.parseDouble(paint[2])) - start.toEpochMilli();
        System.out.println("floor cef=" + cefUp + " window=" + shown[0] + " navigation=" + navigation + " paint=" + firstPaint);
        System.out.flush();
        SwingUtilities.invokeLater(() -> opened[0].close(true));
        cef.awaitTermination();
        System.exit(0);
    }

    private static long since(Instant start) {
        return System.currentTimeMillis() - start.toEpochMilli();
    }
}
