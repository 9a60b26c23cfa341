package dev.latchkey.qa.pages;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** One catalog card: its server's name, title, description, whether it can be installed, and its buttons. */
public final class CatalogCard extends PageObject {

    private final ConnectorsPage page;
    private final WebElement card;
    private final String name;

    CatalogCard(WebDriver driver, ConnectorsPage page, String name) {
        super(driver);
        this.page = page;
        this.name = name;
        this.card = await("a catalog card for " + name, d -> d.findElements(CatalogSection.cardOf(name)).stream().findFirst().orElse(null));
    }

    public String name() {
        return name;
    }

    public String title() {
        return card.findElement(org.openqa.selenium.By.className("card__title")).getText();
    }

    /** False for a card that says why it cannot be installed ({@link #problem()}). */
    public boolean installable() {
        return first(card, "install") != null;
    }

    /** Why it cannot be installed, or empty text. */
    public String problem() {
        WebElement problem = first(card, "problem");
        return problem == null ? "" : problem.getText();
    }

    /** Clicks Details: the dialog with the server's details. */
    public DetailsView details() {
        scrollTo(first(card, "details")).click();
        return new DetailsView(driver, page);
    }

    /** Clicks Install: the install dialog. */
    public InstallDialog install() {
        WebElement install = first(card, "install");
        if (install == null) {
            throw new IllegalStateException(name + " has no Install button: " + problem());
        }
        scrollTo(install).click();
        return new InstallDialog(driver, page);
    }

    private WebElement scrollTo(WebElement element) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        return element;
    }
}
