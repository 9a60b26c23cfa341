package dev.latchkey.qa.pages;

import dev.latchkey.qa.LatchkeyApp;
import java.util.List;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The Connectors page in the app's window, signed in and live: the Installed list, the MCP
 * clients and the catalog. {@link #open} finds the app's window among the driver's handles.
 */
public final class ConnectorsPage extends PageObject {

    public static final String TITLE = "Latchkey — Connectors";

    private final String origin;
    private final String handle;

    /** Switches the driver to the app's window (the page served by {@code app}) and waits until the page is live. */
    public static ConnectorsPage open(WebDriver driver, LatchkeyApp app) {
        String origin = app.apiBase().toString();
        new Waits(driver).until("a window showing the Connectors page of " + origin,
                d -> Windows.switchToFirst(d, url -> url.startsWith(origin + "/")));
        return new ConnectorsPage(driver, origin);
    }

    ConnectorsPage(WebDriver driver, String origin) {
        super(driver);
        this.origin = origin;
        await("the Connectors page (\"" + TITLE + "\") signed in and live; the window shows \""
                + driver.getTitle() + "\" at " + driver.getCurrentUrl(), d -> TITLE.equals(d.getTitle())
                && d.getCurrentUrl().startsWith(origin + "/")
                && "live".equals(d.findElement(testId("live-state")).getAttribute("data-state")));
        this.handle = driver.getWindowHandle();
    }

    /** {@code live}, {@code reconnecting} or {@code signed-out} (the page's {@code live-state}). */
    public String liveState() {
        return driver.findElement(testId("live-state")).getAttribute("data-state");
    }

    /** The catalog, once its cards are in. */
    public CatalogSection catalog() {
        return new CatalogSection(driver, this);
    }

    /** The Installed section. */
    public InstalledList installed() {
        return new InstalledList(driver, this);
    }

    /** The MCP clients section. */
    public ClientsSection clients() {
        return new ClientsSection(driver, this);
    }

    /** The text of the page's error notice, or empty when none shows. */
    public String errorNotice() {
        WebElement notice = driver.findElement(testId("error-notice"));
        return notice.isDisplayed() ? notice.getText() : "";
    }

    /** What the page's polite live region said last. */
    public String announcement() {
        return driver.findElement(testId("announcer")).getAttribute("textContent");
    }

    /** This page again, the driver switched back to the app's window (after working in a login window). */
    public ConnectorsPage back() {
        driver.switchTo().window(handle);
        return new ConnectorsPage(driver, origin);
    }

    String origin() {
        return origin;
    }

    List<WebElement> dialogs() {
        return driver.findElements(testId("dialog"));
    }
}
