package dev.latchkey.qa.pages;

import org.openqa.selenium.WebDriver;

/** "Connect <program>": the MCP configuration file and the entry Latchkey will write into it. */
public final class ConnectClientDialog extends Dialog {

    ConnectClientDialog(WebDriver driver, ConnectorsPage page) {
        super(driver, page, "connect-client");
    }

    /** The file the entry goes in. */
    public String path() {
        return first(dialog, "client-connect-path").getText();
    }

    /** The entry, as JSON or TOML text. */
    public String entry() {
        return first(dialog, "client-connect-entry").getText();
    }

    /** Writes the entry: the page again, the program shown connected. */
    public ConnectorsPage write() {
        first(dialog, "client-connect-confirm").click();
        return closed();
    }
}
