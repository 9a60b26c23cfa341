package dev.latchkey.qa.pages;

import java.util.function.Predicate;
import org.openqa.selenium.NoSuchWindowException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;

/** The app's CEF windows as the driver's window handles: the Connectors page and each login window. */
final class Windows {

    private Windows() {
    }

    /** Switches to the first window whose URL matches {@code url} and returns its handle, or null when none does (yet). */
    static String switchToFirst(WebDriver driver, Predicate<String> url) {
        for (String handle : driver.getWindowHandles()) {
            try {
                if (url.test(driver.switchTo().window(handle).getCurrentUrl())) {
                    return handle;
                }
            } catch (NoSuchWindowException e) {
                // closed while we looked; the next round sees the handles as they are then
            }
        }
        return null;
    }

    /** True while {@code handle} is one of the driver's windows. */
    static boolean open(WebDriver driver, String handle) {
        try {
            return driver.getWindowHandles().contains(handle);
        } catch (WebDriverException e) {
            return false;
        }
    }
}
