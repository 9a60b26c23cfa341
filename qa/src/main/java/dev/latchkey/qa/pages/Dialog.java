package dev.latchkey.qa.pages;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The page's one modal dialog showing one view ({@code data-view}: details, install, log, connect-client, add-client). */
abstract class Dialog extends PageObject {

    protected final ConnectorsPage page;
    protected final WebElement dialog;

    Dialog(WebDriver driver, ConnectorsPage page, String view) {
        super(driver);
        this.page = page;
        this.dialog = driver.findElement(testId("dialog"));
        await("the dialog open on its " + view + " view (it shows \"" + dialog.getAttribute("data-view") + "\", open: "
                + dialog.getAttribute("open") + ")", d -> dialog.getAttribute("open") != null && view.equals(dialog.getAttribute("data-view")));
    }

    /** The dialog's title. */
    public String title() {
        return driver.findElement(org.openqa.selenium.By.id("dialog-title")).getText();
    }

    /** Closes the dialog with its close button: the page again. */
    public ConnectorsPage close() {
        driver.findElement(testId("dialog-close")).click();
        return closed();
    }

    /** Waits until the dialog has closed: the page again. */
    protected ConnectorsPage closed() {
        await("the dialog closed", d -> dialog.getAttribute("open") == null);
        return page.back();
    }
}
