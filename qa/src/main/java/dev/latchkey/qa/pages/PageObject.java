package dev.latchkey.qa.pages;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What every page object shares: its driver and explicit waits. Page objects follow Selenium's
 * guidance: they check in their constructor that the page is what they model (and fail with a
 * sentence saying what they found), they assert nothing about the test's outcome, their actions
 * return the page object of what the user sees next, and they wait only on a condition
 * ({@link WebDriverWait}), never a fixed time. A wait reads the page again after an element it
 * held was replaced (the page re-renders rows and dialog bodies): a stale element is not a failure.
 */
public abstract class PageObject {

    /** How long a wait lasts unless {@value #WAIT_PROPERTY} (seconds) says otherwise. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
    public static final String WAIT_PROPERTY = "latchkey.qa.waitSeconds";

    protected final WebDriver driver;

    protected PageObject(WebDriver driver) {
        this.driver = driver;
    }

    /** Waits until {@code condition} gives something other than null or false; fails naming {@code what}. */
    protected <T> T await(String what, Function<WebDriver, T> condition) {
        return await(what, limit(), condition);
    }

    protected <T> T await(String what, Duration limit, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, limit).withMessage(what).ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Waits as {@link #await(String, Function)}; {@code what} is asked for when it fails, to say how things stand then. */
    protected <T> T await(Supplier<String> what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, limit()).withMessage(what).ignoring(StaleElementReferenceException.class).until(condition);
    }

    protected static Duration limit() {
        return Duration.ofSeconds(Long.getLong(WAIT_PROPERTY, DEFAULT_WAIT.toSeconds()));
    }

    /** The element with {@code data-testid=id}. */
    protected static By testId(String id) {
        return By.cssSelector("[data-testid=\"" + id + "\"]");
    }

    /** The elements with {@code data-testid=id} under {@code scope}. */
    protected static List<WebElement> all(SearchContext scope, String id) {
        return scope.findElements(testId(id));
    }

    /** The one element with {@code data-testid=id} under {@code scope}, or null. */
    protected static WebElement first(SearchContext scope, String id) {
        List<WebElement> found = all(scope, id);
        return found.isEmpty() ? null : found.get(0);
    }
}
