package dev.latchkey.qa.pages;

import java.util.List;
import java.util.Set;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * One installed server's row: status badge and reason, how it signs in, its settings, its tools,
 * and its buttons — sign-in (open sign-in page, Reconnect, Sign in again, Switch to browser login,
 * Switch to OAuth, Close the login window), runtime (Start, Stop, Restart, Log) and Uninstall.
 */
public final class InstalledRow extends PageObject {

    private final ConnectorsPage page;
    private final WebElement row;
    private final String id;

    InstalledRow(WebDriver driver, ConnectorsPage page, WebElement row) {
        super(driver);
        this.page = page;
        this.row = row;
        this.id = row.getAttribute("data-install-id");
        if (!"install-row".equals(row.getAttribute("data-testid"))) {
            throw new IllegalStateException("not an Installed row: " + row.getTagName());
        }
    }

    public String id() {
        return id;
    }

    /** The install's status as the row has it ({@code running}, {@code pending_auth}, {@code failed}…). */
    public String status() {
        return row.getAttribute("data-status");
    }

    /** The status badge's words ("Running", "Needs sign-in again"). */
    public String statusLabel() {
        return first(row, "status").getText();
    }

    /** The status reason shown under the title, or empty text. */
    public String statusReason() {
        WebElement reason = first(row, "status-reason");
        return reason.isDisplayed() ? reason.getText() : "";
    }

    /** The line saying how it signs in and as whom ("Browser login · acme-browser · connected as ann · installed …"). */
    public String meta() {
        return row.findElement(By.className("install__meta")).getText();
    }

    /** The names of the tools a running server offers, as listed in the row. */
    public List<String> tools() {
        return row.findElements(testId("tool")).stream().map(tool -> tool.getAttribute("textContent")).toList();
    }

    /** Waits until the status is one of {@code statuses}; fails naming the status and reason it has. */
    public InstalledRow awaitStatus(String... statuses) {
        Set<String> wanted = Set.of(statuses);
        await(() -> "install " + id + " in status " + wanted + "; it is " + status() + " (\"" + statusReason() + "\")",
                d -> wanted.contains(status()) ? Boolean.TRUE : null);
        return this;
    }

    /** Waits until the line saying how it signs in contains {@code text} ("Browser login", "connected as ann"). */
    public InstalledRow awaitMeta(String text) {
        await(() -> "install " + id + "'s sign-in line with \"" + text + "\"; it says \"" + meta() + "\"",
                d -> meta().contains(text) ? Boolean.TRUE : null);
        return this;
    }

    /** Waits until the row lists at least one tool (they are fetched once it runs). */
    public InstalledRow awaitTools() {
        await("tools listed for install " + id, d -> !tools().isEmpty());
        return this;
    }

    /** True when the row offers the button {@code testId} now (e.g. {@code relogin}, {@code switch-to-browser}). */
    public boolean offers(String testId) {
        return first(row, testId) != null;
    }

    /** Clicks "Sign in again" (browser login): a login window opens; the row waits for its sign-in. */
    public InstalledRow relogin() {
        return press("relogin", "pending_auth");
    }

    /** Clicks "Switch to browser login" (an OAuth install): a login window opens. */
    public InstalledRow switchToBrowser() {
        return press("switch-to-browser", null);
    }

    /** Clicks "Switch to OAuth" (a browser-login install): the system browser is handed a sign-in page. */
    public InstalledRow switchToOAuth() {
        return press("switch-to-oauth", null);
    }

    /** Clicks "Close the login window": the sign-in ends, nothing is stored. */
    public InstalledRow closeLoginWindow() {
        return press("cancel-sign-in", null);
    }

    /** Clicks Reconnect / "Start sign-in again" (OAuth): the system browser is handed a new sign-in page. */
    public InstalledRow reconnect() {
        return press("reconnect", "pending_auth");
    }

    /** Clicks "Open sign-in page" (OAuth, waiting for the user): the system browser is handed it again. */
    public InstalledRow openSignInPage() {
        return press("open-sign-in", null);
    }

    /** Clicks Start, Stop or Restart ({@code start}, {@code stop}, {@code restart}). */
    public InstalledRow runtime(String action) {
        return press(action, null);
    }

    /** Clicks Log: the server log in the dialog. */
    public LogView log() {
        button("log").click();
        return new LogView(driver, page);
    }

    /** Clicks Uninstall, confirms, and waits until the row has gone: the Installed list. */
    public InstalledList uninstall() {
        button("uninstall").click();
        await("the Uninstall confirmation", d -> first(row, "uninstall-confirm")).click();
        return page.installed().awaitGone(id);
    }

    private InstalledRow press(String testId, String awaited) {
        button(testId).click();
        if (awaited != null) {
            awaitStatus(awaited);
        }
        return this;
    }

    private WebElement button(String testId) {
        WebElement button = await("the button \"" + testId + "\" in install " + id + "'s row (status " + status() + ")",
                d -> { WebElement b = first(row, testId); return b != null && b.isEnabled() ? b : null; });
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", button);
        return button;
    }
}
