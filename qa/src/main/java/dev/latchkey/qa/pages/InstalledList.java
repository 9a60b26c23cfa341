package dev.latchkey.qa.pages;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The Installed section: one row per installed server, newest first. */
public final class InstalledList extends PageObject {

    private final ConnectorsPage page;

    InstalledList(WebDriver driver, ConnectorsPage page) {
        super(driver);
        this.page = page;
        await("the Installed section", d -> first(d, "installed-list") != null);
    }

    /** The install ids of the rows, in page order. */
    public List<String> ids() {
        return all(driver, "install-row").stream().map(row -> row.getAttribute("data-install-id")).toList();
    }

    /** "1 server", "2 servers", or empty text when nothing is installed. */
    public String count() {
        return driver.findElement(testId("installed-count")).getText();
    }

    /** True when the "Nothing installed yet" line shows. */
    public boolean empty() {
        return driver.findElement(testId("installed-empty")).isDisplayed();
    }

    /** The row of install {@code id}, once it is there. */
    public InstalledRow row(String id) {
        By row = By.cssSelector("[data-testid=\"install-row\"][data-install-id=\"" + id + "\"]");
        return new InstalledRow(driver, page, await("the Installed row of " + id, d -> d.findElements(row).stream().findFirst().orElse(null)));
    }

    /** The newest row whose title is {@code displayName}, once there is one. */
    public InstalledRow newest(String displayName) {
        WebElement found = await("an Installed row titled \"" + displayName + "\"", d -> all(d, "install-row").stream()
                .filter(r -> displayName.equals(r.findElement(By.className("install__title")).getText())).findFirst().orElse(null));
        return new InstalledRow(driver, page, found);
    }

    /** The row of an install made since the page showed {@code before} (its {@link #ids()} then), once it is there. */
    public InstalledRow added(List<String> before) {
        WebElement found = await("an Installed row besides " + before, d -> all(d, "install-row").stream()
                .filter(r -> !before.contains(r.getAttribute("data-install-id"))).findFirst().orElse(null));
        return new InstalledRow(driver, page, found);
    }

    /** Waits until the row of {@code id} has gone (after an uninstall). */
    public InstalledList awaitGone(String id) {
        await("the Installed row of " + id + " gone",
                d -> d.findElements(By.cssSelector("[data-install-id=\"" + id + "\"]")).isEmpty());
        return this;
    }
}
