package dev.latchkey.qa.pages;

import org.openqa.selenium.WebDriver;

/** "Connect <program>": the MCP configuration file and the entry Latchkey will write into it. */
public final class ConnectClientDialog extends Dialog {

    private final String app;

    ConnectClientDialog(WebDriver driver, ConnectorsPage page, String app) {
        super(driver, page, "connect-client");
        this.app = app;
    }

    /** The file the entry goes in. */
    public String path() {
        return first(dialog, "client-connect-path").getText();
    }

    /** The entry, as JSON text, with a placeholder where the token goes (it is made only on confirming). */
    public String entry() {
        return first(dialog, "client-connect-entry").getText();
    }

    /** Writes the entry: the page again, once the program shows Undo (it is connected). */
    public ConnectorsPage write() {
        first(dialog, "client-connect-confirm").click();
        ConnectorsPage again = closed();
        await("the program " + app + " shown connected (its Undo)", d -> first(d, "client-app-undo-" + app));
        return again;
    }
}
