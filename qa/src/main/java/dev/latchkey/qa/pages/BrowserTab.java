package dev.latchkey.qa.pages;

import java.net.URI;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchWindowException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A tab of the {@link dev.latchkey.qa.SystemBrowser}: a page the app handed to the user's browser
 * (an OAuth sign-in), once its forwarding page has sent it on to a web page. It shows another
 * service's pages (an authorization server's sign-in and consent), so its actions are generic;
 * {@link #awaitCallback()} is Latchkey's own page at the end of a sign-in.
 */
public final class BrowserTab extends PageObject {

    private final String handle;

    public BrowserTab(WebDriver driver, String handle) {
        super(driver);
        this.handle = handle;
        await(() -> "the system browser's tab on a web page, past the app's forwarding page (it is at " + url() + ")",
                d -> url().startsWith("http") && "complete".equals(((org.openqa.selenium.JavascriptExecutor) focus())
                        .executeScript("return document.readyState")));
    }

    /** The tab's address now. */
    public String url() {
        return focus().getCurrentUrl();
    }

    /** The host of the tab's page now. */
    public String host() {
        return URI.create(url()).getHost();
    }

    /** Types {@code text} into the element {@code css} selects (e.g. {@code input[name=username]}). */
    public BrowserTab type(String css, String text) {
        element(css).sendKeys(text);
        return this;
    }

    /** Clicks the element {@code css} selects; the tab may load another page. */
    public BrowserTab click(String css) {
        element(css).click();
        return this;
    }

    /** The text of the element {@code css} selects, once it shows. */
    public String text(String css) {
        return element(css).getText();
    }

    /** Waits until an element {@code css} selects shows (the page a click led to has loaded). */
    public BrowserTab awaitElement(String css) {
        element(css);
        return this;
    }

    /** Waits for Latchkey's page at the end of the sign-in ({@code /oauth/callback}): it says whether it connected. */
    public CallbackPage awaitCallback() {
        return new CallbackPage(driver, handle);
    }

    /** Closes the tab, as the user does once the page says to. */
    public void close() {
        focus().close();
    }

    private WebElement element(String css) {
        return await(() -> "\"" + css + "\" on the system browser's page (at " + url() + ")", d -> focus()
                .findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    WebDriver focus() {
        try {
            return driver.switchTo().window(handle);
        } catch (NoSuchWindowException e) {
            throw new IllegalStateException("the system browser's tab has closed", e);
        }
    }
}
