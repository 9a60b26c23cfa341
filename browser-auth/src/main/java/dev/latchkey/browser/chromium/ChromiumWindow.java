package dev.latchkey.browser.chromium;

import dev.latchkey.browser.LoginPage;
import dev.latchkey.browser.LoginRules;
import dev.latchkey.browser.SignInPoll;
import dev.latchkey.login.LoginCancel;
import dev.latchkey.login.LoginOutcome;
import dev.latchkey.login.LoginRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.NoSuchWindowException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.devtools.Command;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.Event;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.json.JsonInput;

/**
 * One sign-in in one Chromium window, as steps:
 * <ol>
 *   <li>attach to the page over CDP: every document request is paused ({@code Fetch}) and judged by
 *       the {@link LoginRules} — an off-rule one (typed, redirect, link or script) is answered with
 *       204 No Content, which cancels the navigation and leaves the page where it was; new windows
 *       ({@code Target.targetCreated}) are closed; the page script {@code login-window.js} refuses
 *       {@code window.open}, opens {@code target=_blank} in place, and shows the host and what was refused;</li>
 *   <li>open {@code loginUrl};</li>
 *   <li>poll ({@link SignInPoll}, shared with the JCEF window; every 50 ms, and at once when the page
 *       script reports a loaded document): once the URL is ready, read the values (scripts in an
 *       isolated world, cookies from the cookie store through {@code Storage.getCookies}, which
 *       sees HttpOnly cookies) until each has its shape;</li>
 *   <li>end on values, a closed window, a cancel, or the timeout. The caller quits the browser.</li>
 * </ol>
 */
final class ChromiumWindow implements LoginPage {

    /** Every this many polls, ChromeDriver is asked whether the window is still there. */
    private static final int LIVENESS_EVERY = 20;
    private static final String BINDING = "latchkeyReport";
    private static final Json JSON = new Json();
    private static final String PAGE_SCRIPT = pageScript();

    private final ChromeDriver driver;
    private final LoginRequest request;
    private final LoginRules rules;
    private final SignInPoll poll;
    /** The document requests let go on, by request id: where a redirect came from. */
    private final Map<String, String> documents = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> toShow = new ConcurrentLinkedQueue<>();
    /** Released by the page script when a document of the window has loaded. */
    private final Semaphore loaded = new Semaphore(0);
    /** The page's address, as CDP reports each main-frame navigation. */
    private volatile String address;
    /** The page's target is gone: the user closed the window. */
    private volatile boolean mainGone;
    private DevTools devTools;
    private String mainTarget;
    private int polls;

    ChromiumWindow(ChromeDriver driver, LoginRequest request, Clock clock) {
        this.driver = driver;
        this.request = request;
        this.rules = new LoginRules(request.settings());
        this.poll = new SignInPoll(request, rules, clock);
    }

    LoginOutcome run(LoginCancel cancel) {
        try {
            attach();
            driver.get(request.settings().loginUrl().toString());
        } catch (WebDriverException e) {
            return windowGone() ? poll.ended() : new LoginOutcome.Failed(
                    "the login window could not open " + request.settings().loginUrl() + ": " + ChromiumLogin.firstLine(e.getMessage()));
        }
        return poll.run(this, cancel);
    }

    @Override
    public String address() {
        return address;
    }

    /** ChromeDriver's own commands wait while a page loads; CDP answers at once. So the driver is asked only now and then. */
    @Override
    public boolean gone() {
        return mainGone || ++polls % LIVENESS_EVERY == 0 && windowGone();
    }

    @Override
    public Map<String, Object> devTools(String method, Map<String, Object> params) {
        try {
            return devTools.send(new Command<>(method, params, ChromiumWindow::map));
        } catch (WebDriverException e) {
            // A page between two documents cannot answer yet; the next poll asks again.
            return Map.of();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> cookies() {
        Object cookies = devTools("Storage.getCookies", Map.of()).get("cookies");
        return cookies instanceof List<?> list ? new ArrayList<>((List<Map<String, Object>>) list) : List.of();
    }

    /** Shows refusals, then waits: a document that has loaded wakes the poll at once; the poll catches values set later. */
    @Override
    public void pause(Duration wait) throws InterruptedException {
        showRefused();
        if (loaded.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            loaded.drainPermits();
        }
    }

    private void attach() {
        mainTarget = driver.getWindowHandle();
        devTools = driver.getDevTools();
        devTools.createSession(mainTarget);
        devTools.addListener(new Event<>("Fetch.requestPaused", ChromiumWindow::map), this::judge);
        devTools.addListener(new Event<>("Runtime.bindingCalled", ChromiumWindow::map), this::reported);
        devTools.addListener(new Event<>("Target.targetCreated", ChromiumWindow::map), this::newTarget);
        devTools.addListener(new Event<>("Target.targetDestroyed", ChromiumWindow::map), this::targetGone);
        devTools.addListener(new Event<>("Page.frameNavigated", ChromiumWindow::map), this::navigated);
        devTools.addListener(new Event<>("Page.navigatedWithinDocument", ChromiumWindow::map), this::navigated);
        devTools.send(new Command<>("Runtime.enable", Map.of()));
        devTools.send(new Command<>("Runtime.addBinding", Map.of("name", BINDING)));
        devTools.send(new Command<>("Page.enable", Map.of()));
        devTools.send(new Command<>("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PAGE_SCRIPT)));
        devTools.send(new Command<>("Fetch.enable", Map.of("patterns",
                List.of(Map.of("urlPattern", "*", "resourceType", "Document", "requestStage", "Request")))));
        devTools.send(new Command<>("Target.setDiscoverTargets", Map.of("discover", true)));
    }

    /**
     * Step 1: lets an allowed document request go on; answers any other with 204, which cancels the
     * navigation. A request that follows a server redirect names the request that was redirected
     * ({@code redirectedRequestId}): the rules then know where it came from, and may admit an SSO tenant.
     */
    private void judge(Map<String, Object> paused) {
        String requestId = (String) paused.get("requestId");
        String url = (String) ((Map<?, ?>) paused.get("request")).get("url");
        String redirectedFrom = paused.get("redirectedRequestId") instanceof String id ? documents.remove(id) : null;
        if (redirectedFrom != null) {
            rules.redirected(redirectedFrom, url);
        }
        if (rules.allowsNavigation(url)) {
            if (documents.size() > 64) {
                documents.clear(); // only the latest requests can still be redirected
            }
            documents.put(requestId, url);
            devTools.send(new Command<>("Fetch.continueRequest", Map.of("requestId", requestId)));
            return;
        }
        refuse("navigation to " + LoginRules.withoutQuery(url));
        devTools.send(new Command<>("Fetch.fulfillRequest", Map.of("requestId", requestId, "responseCode", 204,
                "responseHeaders", List.of())));
    }

    private void reported(Map<String, Object> call) {
        if (!BINDING.equals(call.get("name"))) {
            return;
        }
        Map<String, Object> report = JSON.toType((String) call.get("payload"), Json.MAP_TYPE);
        if ("loaded".equals(report.get("kind"))) {
            loaded.release();
        } else if ("pop-up".equals(report.get("kind"))) {
            refuse("pop-up to " + LoginRules.withoutQuery(String.valueOf(report.get("url"))));
        }
    }

    /** A main-frame navigation (a new document, or one within the document): the page's address now. */
    private void navigated(Map<String, Object> event) {
        Object frame = event.get("frame");
        if (frame instanceof Map<?, ?> navigated && navigated.get("parentId") == null) {
            address = String.valueOf(navigated.get("url"));
        } else if (frame == null && event.get("url") != null && event.get("frameId").equals(mainTarget)) {
            address = String.valueOf(event.get("url"));
        }
        loaded.release();
    }

    private void targetGone(Map<String, Object> destroyed) {
        if (mainTarget.equals(destroyed.get("targetId"))) {
            mainGone = true;
            loaded.release();
        }
    }

    /** A window the page opened despite the page script (or a new tab): closed at once. */
    private void newTarget(Map<String, Object> created) {
        Map<?, ?> target = (Map<?, ?>) created.get("targetInfo");
        if (!"page".equals(target.get("type")) || target.get("targetId").equals(mainTarget)) {
            return;
        }
        refuse("pop-up to " + LoginRules.withoutQuery(String.valueOf(target.get("url"))));
        devTools.send(new Command<>("Target.closeTarget", Map.of("targetId", target.get("targetId"))));
    }

    private void refuse(String what) {
        poll.refused(what);
        toShow.add(what);
    }

    /** Shows the newest refusal in the window's bar (on the poll thread: WebDriver is not for two threads). */
    private void showRefused() {
        String latest = null;
        for (String next = toShow.poll(); next != null; next = toShow.poll()) {
            latest = next;
        }
        if (latest != null) {
            try {
                driver.executeScript("if (window.__latchkeyRefused) window.__latchkeyRefused(arguments[0]);", latest);
            } catch (JavascriptException e) {
                // The page is between documents; the refusal stays in the outcome.
            }
        }
    }

    private boolean windowGone() {
        try {
            return driver.getWindowHandles().isEmpty();
        } catch (NoSuchWindowException e) {
            return true;
        } catch (WebDriverException e) {
            // ChromeDriver lost Chromium: the user closed its last window.
            return true;
        }
    }

    private static Map<String, Object> map(JsonInput input) {
        return input.read(Json.MAP_TYPE);
    }

    private static String pageScript() {
        try (InputStream in = ChromiumWindow.class.getResourceAsStream("login-window.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("login-window.js is missing from browser-auth's jar", e);
        }
    }
}
