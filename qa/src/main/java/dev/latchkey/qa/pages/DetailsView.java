package dev.latchkey.qa.pages;

import org.openqa.selenium.WebDriver;

/** A server's details in the dialog: what it is, the command it runs, and its own Install button. */
public final class DetailsView extends Dialog {

    DetailsView(WebDriver driver, ConnectorsPage page) {
        super(driver, page, "details");
        await("the details view", d -> first(dialog, "details-view") != null);
    }

    /** The command line the server is started with, as shown. */
    public String command() {
        return first(dialog, "command").getText();
    }

    /** The whole text of the details. */
    public String text() {
        return first(dialog, "details-view").getText();
    }

    /** Clicks the details' Install: the install dialog. */
    public InstallDialog install() {
        first(dialog, "details-install").click();
        return new InstallDialog(driver, page);
    }
}
