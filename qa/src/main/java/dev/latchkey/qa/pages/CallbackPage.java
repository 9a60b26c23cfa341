package dev.latchkey.qa.pages;

import org.openqa.selenium.WebDriver;

/**
 * Latchkey's page at the end of an OAuth sign-in, in the system browser: the app's loopback
 * {@code /oauth/callback}, saying "Connected" and as whom, or why it could not connect.
 */
public final class CallbackPage extends PageObject {

    private final String handle;

    CallbackPage(WebDriver driver, String handle) {
        super(driver);
        this.handle = handle;
        await(() -> "Latchkey's sign-in page (/oauth/callback) in the system browser; the tab is at "
                + driver.switchTo().window(handle).getCurrentUrl(), d -> d.switchTo().window(handle).getCurrentUrl()
                .matches("http://127\\.0\\.0\\.1:\\d+/oauth/callback.*") && first(d, "callback-title") != null);
    }

    /** "Connected", or what went wrong ("Latchkey could not connect"). */
    public String title() {
        return first(focus(), "callback-title").getText();
    }

    /** The sentence under it ("E2E acme is connected as alice@example.com. You can close this tab …"). */
    public String message() {
        return first(focus(), "callback-message").getText();
    }

    /** Closes the tab, as the page asks. */
    public void close() {
        focus().close();
    }

    private WebDriver focus() {
        return driver.switchTo().window(handle);
    }
}
