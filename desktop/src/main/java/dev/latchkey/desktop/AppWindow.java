package dev.latchkey.desktop;

import dev.latchkey.browser.jcef.BrowserClosing;
import dev.latchkey.browser.jcef.CefRuntime;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;
import dev.latchkey.browser.jcef.AppIcon;
import org.cef.CefClient;
import org.cef.browser.CefBrowser;
import org.cef.browser.CefFrame;
import org.cef.handler.CefRequestHandlerAdapter;

/**
 * The app's main window: the Connectors page in a JCEF browser, titled "Latchkey" with the app's
 * icon. Pages the Connectors page opens in a new window go to the system browser. Closing it
 * ends CEF, and with it the app: {@link CefRuntime#awaitTermination()} returns.
 *
 * <p>Closing, in order (java-cef's own BrowserFrame does the same):
 * <ol>
 *   <li>the window manager's close button fires {@code windowClosing}, which calls
 *       {@code browser.close(true)} — at once, or when CEF has created the browser if the window
 *       is closed before that ({@link BrowserClosing});</li>
 *   <li>CEF destroys the browser's native window and calls {@code onBeforeClose} on its thread;</li>
 *   <li>there, on CEF's thread, CEF is shut down ({@link CefRuntime#shutDown()}, which also closes a
 *       login window still open) and the frame disposed on the Swing thread.</li>
 * </ol>
 */
final class AppWindow {

    static final String TITLE = "Latchkey";

    private AppWindow() {
    }

    /**
     * Shows the app's window at once, empty, while CEF and the backend start; {@link #open} puts
     * the page in it. Closing it before then ends the app.
     */
    static CompletableFuture<JFrame> early() {
        CompletableFuture<JFrame> shown = new CompletableFuture<>();
        SwingUtilities.invokeLater(() -> {
            JFrame frame = new JFrame(TITLE);
            frame.setIconImages(AppIcon.images());
            frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
            frame.addWindowListener(new WindowAdapter() {
                @Override
                public void windowClosing(WindowEvent e) {
                    new Thread(() -> System.exit(0), "latchkey-closed-while-starting").start();
                }
            });
            frame.setSize(new Dimension(1200, 820));
            frame.setLocationRelativeTo(null);
            frame.setVisible(true);
            shown.complete(frame);
        });
        return shown;
    }

    /**
     * The browser of the window, on a blank page, in {@code frame} (from {@link #early()}) as soon
     * as CEF is up, so that CEF initializes and starts its processes while the backend starts;
     * {@link Page#load} then hands it the Connectors page. Pages it opens in a new window go to the
     * system browser through forwarding pages in {@code linksFolder}.
     */
    static CompletableFuture<Page> blank(CefRuntime cef, Path linksFolder, JFrame frame) {
        CompletableFuture<Page> shown = new CompletableFuture<>();
        SwingUtilities.invokeLater(() -> {
            try {
                shown.complete(show(cef, linksFolder, frame));
            } catch (RuntimeException e) {
                shown.completeExceptionally(e);
            }
        });
        return shown;
    }

    /** The window with its browser. */
    record Page(JFrame frame, CefBrowser browser, BrowserClosing closing) {

        /** Loads {@code url} (handed to CEF in this process, never on a command line) once the browser exists. */
        void load(String url) {
            closing.whenCreated().thenRun(() -> browser.loadURL(url));
        }
    }

    /**
     * Brings {@code frame} to the front, de-iconified, for a second start that handed over to this
     * app. Window managers refuse focus to a window that merely asks, so it is raised above the
     * others for a moment as well.
     */
    static void toFront(JFrame frame) {
        SwingUtilities.invokeLater(() -> {
            frame.setExtendedState(frame.getExtendedState() & ~java.awt.Frame.ICONIFIED);
            frame.setAlwaysOnTop(true);
            frame.toFront();
            frame.requestFocus();
            frame.setAlwaysOnTop(false);
        });
    }

    private static Page show(CefRuntime cef, Path linksFolder, JFrame frame) {
        CefClient client = cef.newClient();
        CefBrowser browser = client.createBrowser("about:blank", false, false);
        BrowserClosing closing = new BrowserClosing(browser);
        closing.attach(frame);
        client.addLifeSpanHandler(closing.handler(target -> openOutside(target, linksFolder), () -> {
            cef.shutDown();
            SwingUtilities.invokeLater(frame::dispose);
        }));
        client.addRequestHandler(new CefRequestHandlerAdapter() {
            @Override
            public boolean onOpenURLFromTab(CefBrowser from, CefFrame frame, String target, boolean userGesture) {
                openOutside(target, linksFolder);
                return true;
            }
        });
        frame.getContentPane().add(browser.getUIComponent(), BorderLayout.CENTER);
        frame.revalidate();
        return new Page(frame, browser, closing);
    }

    /**
     * A page the Connectors page opens in a new window or tab (an OAuth sign-in link, a server's
     * home page) goes to the user's browser; the app window never opens a second window. Anything
     * but an http(s) page is dropped, and so is an authorization URL with its PKCE challenge: the page
     * opens an OAuth sign-in through its one-time {@code /oauth/go} link. The URL is not printed.
     */
    private static void openOutside(String target, Path linksFolder) {
        if (!SystemBrowser.accepts(target)) {
            System.err.println("latchkey: the page asked for a new window on a non-web address; not opened");
        } else if (SystemBrowser.carriesSignInSecrets(target)) {
            System.err.println("latchkey: the page asked for a new window on an OAuth authorization URL; not opened "
                    + "(its state and PKCE challenge would be on xdg-open's command line)");
        } else if (!SystemBrowser.open(target, linksFolder)) {
            System.err.println("latchkey: could not start xdg-open to show a page in your browser");
        }
    }

}
