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
        await("Connect for " + app, d -> first(d, "client-app-connect-" + app)).click();
        return new ConnectClientDialog(driver, page);
    }

    /** True when program {@code app} shows Undo (it is connected). */
    public boolean connected(String app) {
        return first(driver, "client-app-undo-" + app) != null;
    }

    /** Adds a client by hand, named {@code name}: the token it is shown once (the dialog is closed again). */
    public String addByHand(String name) {
        driver.findElement(testId("client-add")).click();
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

    /** The clients' state lines ("may use all installs", "revoked …"), in page order. */
    public List<String> clientStates() {
        return all(driver, "client-state").stream().map(WebElement::getText).toList();
    }
}
