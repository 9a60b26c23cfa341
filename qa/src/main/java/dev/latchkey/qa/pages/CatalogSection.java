package dev.latchkey.qa.pages;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The catalog: search box, sign-in filters, result count and the cards. */
public final class CatalogSection extends PageObject {

    /** The filter buttons, by their {@code data-filter}. */
    public enum Filter { ALL, OAUTH, BROWSER, NONE }

    private final ConnectorsPage page;

    CatalogSection(WebDriver driver, ConnectorsPage page) {
        super(driver);
        this.page = page;
        await("the catalog's cards (it still says \"Loading the catalog…\")",
                d -> !d.findElement(testId("catalog-loading")).isDisplayed() && !all(d, "card").isEmpty());
    }

    /** Types {@code words} into the search box (replacing what was there) and waits until the cards follow it. */
    public CatalogSection search(String words) {
        WebElement box = driver.findElement(testId("search"));
        // Select all and delete, as a user does: clear() would fire no input event, and the cards would not follow.
        box.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        box.sendKeys(words);
        await("the search box to hold \"" + words + "\"", d -> words.equals(box.getAttribute("value")));
        return new CatalogSection(driver, page);
    }

    /** Presses one of the sign-in filters and waits until it is the pressed one. */
    public CatalogSection filter(Filter filter) {
        WebElement button = driver.findElement(testId("filter-" + filter.name().toLowerCase()));
        button.click();
        await("the " + filter + " filter pressed", d -> "true".equals(button.getAttribute("aria-pressed")));
        return this;
    }

    /** The text of the result count ("12 connectors", "3 of 12 connectors"). */
    public String resultCount() {
        return driver.findElement(testId("result-count")).getText();
    }

    /** True when the "No connector matches" line shows. */
    public boolean noMatch() {
        return driver.findElement(testId("catalog-empty")).isDisplayed();
    }

    /** The catalog names of the cards shown now, in page order. */
    public List<String> shownNames() {
        return all(driver, "card").stream().filter(WebElement::isDisplayed).map(card -> card.getAttribute("data-name")).toList();
    }

    /** The card of the catalog server {@code name} (e.g. {@code modelcontextprotocol__everything}). */
    public CatalogCard card(String name) {
        return new CatalogCard(driver, page, name);
    }

    static By cardOf(String name) {
        return By.cssSelector("[data-testid=\"card\"][data-name=\"" + name + "\"]");
    }
}
