package dev.latchkey.qa.pages;

import java.util.List;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The MCP clients section: the programs Latchkey can connect, and the clients made so far. */
public final class ClientsSection extends PageObject {

    private final ConnectorsPage page;

    ClientsSection(WebDriver driver, ConnectorsPage page) {
        super(driver);
        this.page = page;
        await("the MCP clients section", d -> first(d, "client-add") != null);
    }

    /** The programs offered ({@code claude-desktop}, {@code cursor}, …), once listed. */
    public List<String> apps() {
        return await("the client programs listed", d -> all(d, "client-apps").isEmpty() ? null
                : d.findElements(org.openqa.selenium.By.cssSelector("[data-testid^=\"client-app-\"]")).stream()
                .map(e -> e.getAttribute("data-testid")).filter(id -> id.matches("client-app-[a-z-]+") && !id.startsWith("client-app-connect-")
                        && !id.startsWith("client-app-undo-")).map(id -> id.substring("client-app-".length())).toList());
    }

    /** Clicks Connect of program {@code app}: the dialog showing the entry and the file it goes in. */
    public ConnectClientDialog connect(String app) {
        click(await("Connect for " + app, d -> first(d, "client-app-connect-" + app)));
        return new ConnectClientDialog(driver, page, app);
    }

    /** True when program {@code app} shows Undo (it is connected). */
    public boolean connected(String app) {
        return first(driver, "client-app-undo-" + app) != null;
    }

    /** Adds a client by hand, named {@code name}: the token it is shown once (the dialog is closed again). */
    public String addByHand(String name) {
        click(driver.findElement(testId("client-add")));
        WebElement input = await("the client name box", d -> first(d, "client-name"));
        input.sendKeys(name);
        driver.findElement(testId("client-add-confirm")).click();
        String token = await("the new client's token", d -> {
            WebElement shown = first(d, "client-token");
            return shown == null || shown.getText().isBlank() ? null : shown.getText();
        });
        driver.findElement(testId("dialog-close")).click();
        return token;
    }

    /** The clients' names, in page order ("Cursor" for the one Connect made for Cursor). */
    public List<String> clientNames() {
        return all(driver, "client").stream().map(client -> client.findElement(org.openqa.selenium.By.tagName("strong")).getText()).toList();
    }

    /** The calls line of the client named {@code name}: "2 call(s), last <when>" or "0 call(s), last never". */
    public String calls(String name) {
        WebElement client = await("a client named \"" + name + "\" (the clients are " + clientNames() + ")",
                d -> all(d, "client").stream().filter(c -> name.equals(c.findElement(org.openqa.selenium.By.tagName("strong")).getText()))
                        .findFirst().orElse(null));
        return first(client, "client-calls").getText();
    }

    /**
     * The section after the page was loaded again (F5; the session cookie keeps it signed in): the
     * page lists the clients' calls as they were when it loaded, so a call made since shows only then.
     */
    public ClientsSection reloaded() {
        driver.navigate().refresh();
        return new ConnectorsPage(driver, page.origin()).clients();
    }

    /** Clicks {@code button} once it is scrolled to the middle of the window (not under the page's sticky header). */
    private void click(WebElement button) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", button);
        button.click();
    }

    /** The clients' state lines ("may use all installs", "revoked …"), in page order. */
    public List<String> clientStates() {
        return all(driver, "client-state").stream().map(WebElement::getText).toList();
    }
}
