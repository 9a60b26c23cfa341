package dev.latchkey.browser.jcef;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cef.browser.CefBrowser;

/**
 * Closing one windowed browser, which may be asked for before CEF has created it (a window
 * closed while it is still loading): {@code close(true)} on a browser not yet created is lost,
 * and the window would wait for good. So a close asked for early is done on creation.
 * The window's life-span handler reports {@link #created} and {@link #destroyed}.
 */
public final class BrowserClosing {

    private final CountDownLatch destroyed = new CountDownLatch(1);
    private CefBrowser browser;
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
        if (closeAsked) {
            browser.close(true);
        }
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

    /** Blocks until CEF has destroyed the browser. */
    public void await() throws InterruptedException {
        destroyed.await();
    }

    /** Blocks until CEF has destroyed the browser, at most {@code seconds}; true when it has. */
    public boolean await(long seconds) throws InterruptedException {
        return destroyed.await(seconds, TimeUnit.SECONDS);
    }
}
