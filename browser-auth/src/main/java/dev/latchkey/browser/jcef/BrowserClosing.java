package dev.latchkey.browser.jcef;

import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.swing.JFrame;
import javax.swing.WindowConstants;
import org.cef.browser.CefBrowser;
import org.cef.browser.CefFrame;
import org.cef.handler.CefLifeSpanHandler;
import org.cef.handler.CefLifeSpanHandlerAdapter;

/**
 * Closing one windowed browser, which may be asked for before CEF has created it (a window
 * closed while it is still loading): {@code close(true)} on a browser not yet created is lost,
 * and the window would wait for good. So a close asked for early is done on creation.
 * The window's life-span handler ({@link #handler}) reports {@link #created} and {@link #destroyed}.
 */
public final class BrowserClosing {

    private final CountDownLatch destroyed = new CountDownLatch(1);
    private final CompletableFuture<Void> made = new CompletableFuture<>();
    private final CefBrowser browser;
    private boolean created;
    private boolean closeAsked;

    public BrowserClosing(CefBrowser browser) {
        this.browser = browser;
    }

    /** Closes the browser now, or as soon as CEF has created it. */
    public synchronized void close() {
        closeAsked = true;
        if (created && destroyed.getCount() > 0) {
            browser.close(true);
        }
    }

    /** From {@code onAfterCreated}. */
    public synchronized void created(CefBrowser created) {
        if (created != browser) {
            return;
        }
        this.created = true;
        made.complete(null);
        if (closeAsked) {
            browser.close(true);
        }
    }

    /** Done once CEF has created the browser: what is asked of it before then (a URL to load) is lost. */
    public CompletableFuture<Void> whenCreated() {
        return made;
    }

    /** From {@code onBeforeClose}: CEF has destroyed the browser. */
    public void destroyed(CefBrowser closed) {
        if (closed == browser) {
            destroyed.countDown();
        }
    }

    public boolean isDestroyed() {
        return destroyed.getCount() == 0;
    }

    /**
     * The life-span handler of the window of this browser: a pop-up never opens, its URL goes to
     * {@code popups}; creation and destruction are reported here; once CEF has destroyed the
     * browser, {@code whenDestroyed} runs, on CEF's thread (where clients and CEF are disposed,
     * see {@link CefRuntime}).
     */
    public CefLifeSpanHandler handler(Consumer<String> popups, Runnable whenDestroyed) {
        return new CefLifeSpanHandlerAdapter() {
            @Override
            public boolean onBeforePopup(CefBrowser from, CefFrame frame, String url, String frameName) {
                popups.accept(url);
                return true;
            }

            @Override
            public void onAfterCreated(CefBrowser created) {
                created(created);
            }

            @Override
            public void onBeforeClose(CefBrowser closed) {
                destroyed(closed);
                if (isDestroyed()) {
                    whenDestroyed.run();
                }
            }
        };
    }

    /** A frame with the app's icon whose close button closes this browser (the frame goes once it has). */
    public JFrame frame(String title) {
        JFrame frame = new JFrame(title);
        frame.setIconImages(AppIcon.images());
        attach(frame);
        return frame;
    }

    /**
     * Makes the close button of {@code frame}, which may already be shown, close this browser;
     * the listeners it had are removed.
     */
    public void attach(JFrame frame) {
        for (java.awt.event.WindowListener listener : frame.getWindowListeners()) {
            frame.removeWindowListener(listener);
        }
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                close();
            }
        });
    }

    /** Blocks until CEF has destroyed the browser, at most {@code seconds}; true when it has. */
    public boolean await(long seconds) throws InterruptedException {
        return destroyed.await(seconds, TimeUnit.SECONDS);
    }
}
