package dev.latchkey.browser;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a login window (JCEF or Chromium) offers the shared {@link SignInPoll}: its page's address,
 * whether the user closed it, the Chrome DevTools Protocol on its page, and its cookie store.
 */
public interface LoginPage {

    /** The main frame's address as last reported; null before the first. */
    String address();

    /** Whether the user closed the window. */
    boolean gone();

    /**
     * One DevTools method on the page; an empty map while the page cannot answer (between two
     * documents). Never logs an answer: answers carry session values.
     */
    Map<String, Object> devTools(String method, Map<String, Object> params);

    /** Every cookie of the window's cookie store (HttpOnly included), as DevTools describes them. */
    List<Map<String, Object>> cookies();

    /** Waits up to {@code poll}, or less when a document has loaded; does the window's own chores between polls. */
    void pause(Duration poll) throws InterruptedException;
}
