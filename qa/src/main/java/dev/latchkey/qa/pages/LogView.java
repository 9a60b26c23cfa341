package dev.latchkey.qa.pages;

import java.util.List;
import org.openqa.selenium.WebDriver;

/** An install's server log in the dialog: the last lines, then each new one live. */
public final class LogView extends Dialog {

    LogView(WebDriver driver, ConnectorsPage page) {
        super(driver, page, "log");
        await("the log loaded", d -> !"Loading…".equals(first(dialog, "log-state").getText()));
    }

    /** The state line ("Live: new lines appear below.", "Nothing logged yet…"). */
    public String state() {
        return first(dialog, "log-state").getText();
    }

    /** The log's lines as shown now. */
    public List<String> lines() {
        String text = first(dialog, "log-lines").getAttribute("textContent");
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /** Waits until a line containing {@code text} shows. */
    public LogView awaitLine(String text) {
        await("a log line with \"" + text + "\"", d -> lines().stream().anyMatch(line -> line.contains(text)));
        return this;
    }
}
