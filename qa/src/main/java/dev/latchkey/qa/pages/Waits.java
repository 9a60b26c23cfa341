package dev.latchkey.qa.pages;

import java.util.function.Function;
import org.openqa.selenium.WebDriver;

/** Explicit waits for code that is not a page object yet (finding a window before its page object is made). */
final class Waits extends PageObject {

    Waits(WebDriver driver) {
        super(driver);
    }

    <T> T until(String what, Function<WebDriver, T> condition) {
        return await(what, condition);
    }
}
