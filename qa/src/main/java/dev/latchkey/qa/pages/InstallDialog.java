package dev.latchkey.qa.pages;

import java.util.List;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The install dialog of one server: the sign-in choice (where there is one), the form its
 * {@code user_config} makes ({@code field-<key>}, extra rows of a list {@code field-<key>-1}…),
 * and Install / Cancel.
 */
public final class InstallDialog extends Dialog {

    InstallDialog(WebDriver driver, ConnectorsPage page) {
        super(driver, page, "install");
        await("the install form", d -> first(dialog, "install-form") != null);
    }

    /** The sign-in ways offered as a choice ({@code oauth}, {@code browser}, {@code none}); empty when there is one way only. */
    public List<String> authChoices() {
        return dialog.findElements(org.openqa.selenium.By.cssSelector("[data-testid=\"auth-choice\"] input[type=radio]"))
                .stream().map(input -> input.getAttribute("value")).toList();
    }

    /** Chooses how it signs in ({@code oauth}, {@code browser}). */
    public InstallDialog signInWith(String auth) {
        WebElement radio = first(dialog, "auth-" + auth);
        if (radio == null) {
            throw new IllegalStateException("this server offers no choice of \"" + auth + "\"; it offers " + authChoices());
        }
        radio.click();
        await("the " + auth + " sign-in chosen", d -> radio.isSelected());
        return this;
    }

    /** Types {@code value} into the setting {@code key}, replacing what was there. */
    public InstallDialog fill(String key, String value) {
        WebElement input = field(key);
        input.clear();
        input.sendKeys(value);
        return this;
    }

    /** Ticks or unticks the yes/no setting {@code key}. */
    public InstallDialog tick(String key, boolean on) {
        WebElement box = field(key);
        if (box.isSelected() != on) {
            box.click();
        }
        return this;
    }

    /** Adds a row to the list setting {@code key} ("Add another") and types {@code value} into it. */
    public InstallDialog addAnother(String key, String value) {
        int rows = dialog.findElements(org.openqa.selenium.By.cssSelector("[data-testid^=\"field-" + key + "\"]")).size();
        first(dialog, "add-" + key).click();
        WebElement row = await("row " + rows + " of " + key, d -> first(dialog, "field-" + key + "-" + rows));
        row.sendKeys(value);
        return this;
    }

    /** True while Install cannot be pressed (OAuth waits for the proxy's answer). */
    public boolean installDisabled() {
        return !first(dialog, "submit").isEnabled();
    }

    /** The OAuth note ("Checking the OAuth proxy…", or what the proxy said), empty when hidden. */
    public String oauthNote() {
        WebElement note = first(dialog, "oauth-note");
        return note != null && note.isDisplayed() ? note.getText() : "";
    }

    /** Presses Install and waits until the dialog closes on the install made: the page, its row added. */
    public ConnectorsPage install() {
        WebElement submit = first(dialog, "submit");
        await(() -> "Install enabled (OAuth note: \"" + oauthNote() + "\")", d -> submit.isEnabled());
        submit.click();
        await(() -> "the dialog to close on the install made; the form says \"" + formError() + "\"", d -> dialog.getAttribute("open") == null
                || !formError().isEmpty() || !fieldErrors().isEmpty());
        if (dialog.getAttribute("open") != null) {
            throw new IllegalStateException("the install was refused: " + (formError().isEmpty() ? fieldErrors() : formError()));
        }
        return closed();
    }

    /** Presses Install for a form that should be refused, and waits until it says why: this dialog. */
    public InstallDialog installRefused() {
        first(dialog, "submit").click();
        await("the form to show why it was refused", d -> !formError().isEmpty() || !fieldErrors().isEmpty());
        return this;
    }

    /** The form-level error, or empty text (also once the dialog has closed). */
    public String formError() {
        try {
            WebElement error = first(dialog, "form-error");
            return error != null && error.isDisplayed() ? error.getText() : "";
        } catch (StaleElementReferenceException e) {
            return "";
        }
    }

    /** The error shown under {@code key}, or empty text. */
    public String fieldError(String key) {
        WebElement error = first(dialog, "error-" + key);
        return error != null && error.isDisplayed() ? error.getText() : "";
    }

    /** Every field error shown, as "key: text". */
    public List<String> fieldErrors() {
        return dialog.findElements(org.openqa.selenium.By.cssSelector("[data-testid^=\"error-\"]")).stream()
                .filter(WebElement::isDisplayed)
                .map(e -> e.getAttribute("data-testid").substring("error-".length()) + ": " + e.getText()).toList();
    }

    /** Presses Cancel: the page, nothing installed. */
    public ConnectorsPage cancel() {
        first(dialog, "cancel").click();
        return closed();
    }

    private WebElement field(String key) {
        WebElement input = first(dialog, "field-" + key);
        if (input == null) {
            throw new IllegalStateException("the install form has no setting \"" + key + "\"");
        }
        return input;
    }
}
