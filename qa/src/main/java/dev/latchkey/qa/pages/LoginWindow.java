package dev.latchkey.qa.pages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.qa.AppApi;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchWindowException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A browser login's window — a window of the app's own CEF, one of the driver's handles — found by
 * its provider: the window whose page is on one of the hosts the provider's {@code browserAuth}
 * allows ({@code GET /api/providers}). It shows the service's own pages, so its actions are generic
 * (type into, click); {@link #closed()} tells when the app has closed it (signed in, cancelled,
 * timed out).
 */
public final class LoginWindow extends PageObject {

    private final String handle;
    private final List<String> allowedHosts;

    /** Waits for the login window of {@code provider} (e.g. {@code slack-browser}) and switches the driver to it. */
    public static LoginWindow of(WebDriver driver, AppApi api, String provider) throws Exception {
        List<String> hosts = allowedHosts(api, provider);
        Waits waits = new Waits(driver);
        String handle = waits.until("a login window of " + provider + " (a window on one of " + hosts + ")",
                d -> Windows.switchToFirst(d, url -> allowed(hosts, url)));
        return new LoginWindow(driver, handle, hosts);
    }

    private LoginWindow(WebDriver driver, String handle, List<String> allowedHosts) {
        super(driver);
        this.handle = handle;
        this.allowedHosts = allowedHosts;
        if (!allowed(allowedHosts, driver.switchTo().window(handle).getCurrentUrl())) {
            throw new IllegalStateException("window " + handle + " is not on the provider's hosts " + allowedHosts
                    + ": " + driver.getCurrentUrl());
        }
    }

    /** The window's address now. */
    public String url() {
        return focus().getCurrentUrl();
    }

    /** The host of the window's page now. */
    public String host() {
        return URI.create(url()).getHost();
    }

    /** Types {@code text} into the element {@code css} selects (e.g. {@code input[name=email]}). */
    public LoginWindow type(String css, String text) {
        element(css).sendKeys(text);
        return this;
    }

    /** Clicks the element {@code css} selects; the window may load another page or close (signed in). */
    public LoginWindow click(String css) {
        element(css).click();
        return this;
    }

    /** Waits until the page's address contains {@code part}. */
    public LoginWindow awaitUrlContaining(String part) {
        await("the login window at an address containing \"" + part + "\"", d -> url().contains(part));
        return this;
    }

    /** Waits until an element {@code css} selects is on the page (the page a click led to has loaded). */
    public LoginWindow awaitElement(String css) {
        await("\"" + css + "\" on the login window's page (at " + url() + ")", d -> !focus().findElements(By.cssSelector(css)).isEmpty());
        return this;
    }

    /** Runs {@code script} in the page, as the page's own script would (a pop-up, a redirect). */
    public LoginWindow runScript(String script) {
        ((org.openqa.selenium.JavascriptExecutor) focus()).executeScript(script);
        return this;
    }

    /** True once the app has closed this window. */
    public boolean closed() {
        return !Windows.open(driver, handle);
    }

    /**
     * Shows the app's page again and waits there until the app closes this window (the sign-in
     * ended): the driver is off the window before it closes, never left on a closed one.
     */
    public ConnectorsPage awaitClosed(ConnectorsPage page) {
        ConnectorsPage back = page.back();
        await(() -> "the login window closed by the app (it is still open at " + whereNow() + ")", d -> closed());
        return back;
    }

    private String whereNow() {
        try {
            return url();
        } catch (RuntimeException e) {
            return "an address it did not give: " + e.getMessage();
        }
    }

    /** How many windows the app's CEF has now (the page and every login window). */
    public int windowCount() {
        return driver.getWindowHandles().size();
    }

    private WebElement element(String css) {
        return await("\"" + css + "\" on the login window's page", d -> focus().findElements(By.cssSelector(css)).stream()
                .filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    private WebDriver focus() {
        try {
            return driver.switchTo().window(handle);
        } catch (NoSuchWindowException e) {
            throw new IllegalStateException("the login window has closed", e);
        }
    }

    private static List<String> allowedHosts(AppApi api, String provider) throws Exception {
        for (JsonNode definition : api.get("/api/providers").body().path("providers")) {
            if (definition.path("name").asText().equals(provider)) {
                List<String> hosts = new ArrayList<>();
                definition.path("browserAuth").path("allowedHosts").forEach(host -> hosts.add(host.asText()));
                if (hosts.isEmpty()) {
                    throw new IllegalStateException(provider + " has no browser login (no browserAuth.allowedHosts)");
                }
                return hosts;
            }
        }
        throw new IllegalStateException("the app has no provider named " + provider);
    }

    static boolean allowed(List<String> hosts, String url) {
        if (!url.startsWith("https://")) {
            return false;
        }
        String host = URI.create(url).getHost();
        return host != null && hosts.stream().anyMatch(pattern -> pattern.startsWith("*.")
                ? host.endsWith(pattern.substring(1)) : host.equals(pattern));
    }
}
