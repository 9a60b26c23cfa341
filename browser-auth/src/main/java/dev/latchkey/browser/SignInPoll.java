package dev.latchkey.browser;

import dev.latchkey.login.LoginCancel;
import dev.latchkey.login.LoginOutcome;
import dev.latchkey.login.LoginRequest;
import dev.latchkey.provider.Extraction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a sign-in both login windows run alike, on the caller's thread: poll every 50 ms
 * until the page is ready ({@code readyWhen}), then read every value until each has its shape;
 * end on values, a cancel, the window closed, or the timeout. Scripts run in an isolated world of
 * the page's main frame ({@code Page.createIsolatedWorld}), made afresh for each reading: they see
 * the page's DOM, {@code location} and {@code localStorage}, never its JavaScript globals, so a
 * page script that replaced {@code JSON.parse} or {@code Storage.prototype.getItem} sees nothing
 * and changes nothing. Cookies come from the cookie store, only on a domain within the allowed hosts.
 * A ready page still missing a value is said in the log every {@value #SAY_EVERY_SECONDS} s: what
 * is missing, where, and the names of the cookies the store holds (never a value).
 */
public final class SignInPoll {

    private static final Logger LOG = LoggerFactory.getLogger(SignInPoll.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final long SAY_EVERY_SECONDS = 10;
    private static final String WORLD = "latchkey-extract";

    private final LoginRequest request;
    private final LoginRules rules;
    private final Clock clock;
    private final List<String> refused = new CopyOnWriteArrayList<>();

    public SignInPoll(LoginRequest request, LoginRules rules, Clock clock) {
        this.request = request;
        this.rules = rules;
        this.clock = clock;
    }

    /** Remembers a refused navigation or pop-up, for the outcome. */
    public void refused(String what) {
        refused.add(what);
    }

    /** Polls {@code page} to its outcome; the caller closes the window afterwards. */
    public LoginOutcome run(LoginPage page, LoginCancel cancel) {
        Instant deadline = clock.instant().plusSeconds(request.settings().timeoutSeconds());
        String waitingFor = "the page to reach readyWhen (" + request.settings().readyWhen() + ")";
        Instant sayAt = clock.instant().plusSeconds(SAY_EVERY_SECONDS);
        try {
            while (clock.instant().isBefore(deadline)) {
                if (cancel.asked()) {
                    return new LoginOutcome.Cancelled();
                }
                if (page.gone()) {
                    return ended();
                }
                if (rules.isReady(page.address())) {
                    Reading reading = read(page);
                    Optional<String> missing = rules.missing(reading.values());
                    if (missing.isEmpty()) {
                        return new LoginOutcome.Extracted(reading.values(), reading.expiresAt());
                    }
                    waitingFor = missing.get();
                    if (!clock.instant().isBefore(sayAt)) {
                        LOG.info("the sign-in page {} is ready but {} is still missing; the cookie store holds {}",
                                LoginRules.withoutQuery(page.address()), waitingFor, reading.cookies());
                        sayAt = clock.instant().plusSeconds(SAY_EVERY_SECONDS);
                    }
                }
                page.pause(POLL);
            }
        } catch (InterruptedException e) {
            // Not how Latchkey cancels (see LoginCancel), but an interrupted caller still gets its window closed.
            Thread.currentThread().interrupt();
            return new LoginOutcome.Cancelled();
        }
        Duration after = Duration.ofSeconds(request.settings().timeoutSeconds());
        return refused.isEmpty() ? new LoginOutcome.TimedOut(after, waitingFor) : new LoginOutcome.Blocked(refused);
    }

    /** The user closed the window: cancelled, unless a refusal is the likely reason they gave up. */
    public LoginOutcome ended() {
        return refused.isEmpty() ? new LoginOutcome.Cancelled() : new LoginOutcome.Blocked(refused);
    }

    /** @param cookies the cookies read ({@code name@domain}, no value), or null when no cookie was asked for */
    private record Reading(Map<String, String> values, Instant expiresAt, List<String> cookies) {
    }

    /** Every value as it is now; a script that fails or returns no string leaves its value out. */
    private Reading read(LoginPage page) {
        Map<String, String> values = new HashMap<>();
        Instant expiresAt = null;
        Integer world = null;
        List<Map<String, Object>> cookies = null;
        for (Map.Entry<String, Extraction> entry : request.settings().extract().entrySet()) {
            if (entry.getValue() instanceof Extraction.Script script) {
                world = world == null ? isolatedWorld(page) : world;
                if (world == null) {
                    continue;
                }
                Map<String, Object> answer = page.devTools("Runtime.evaluate", Map.of("expression",
                        "(" + script.script() + ")", "returnByValue", true, "contextId", world));
                // A script that throws (e.g. localStorage still empty) has exceptionDetails and no value yet.
                if (answer.get("result") instanceof Map<?, ?> result && result.get("value") instanceof String text) {
                    values.put(entry.getKey(), text);
                }
            } else if (entry.getValue() instanceof Extraction.Cookie wanted) {
                cookies = cookies == null ? page.cookies() : cookies;
                for (Map<String, Object> cookie : cookies) {
                    if (rules.isCookie(wanted, String.valueOf(cookie.get("name")), String.valueOf(cookie.get("domain")))) {
                        values.put(entry.getKey(), String.valueOf(cookie.get("value")));
                        expiresAt = LoginRules.earlier(expiresAt, expiry(cookie));
                    }
                }
            }
        }
        return new Reading(values, expiresAt, cookies == null ? null
                : cookies.stream().map(cookie -> cookie.get("name") + "@" + cookie.get("domain")).toList());
    }

    /** A new isolated world in the page's main frame: its execution context id, or null while the page cannot answer. */
    private static Integer isolatedWorld(LoginPage page) {
        if (!(page.devTools("Page.getFrameTree", Map.of()).get("frameTree") instanceof Map<?, ?> tree)
                || !(tree.get("frame") instanceof Map<?, ?> frame)) {
            return null;
        }
        Map<String, Object> world = page.devTools("Page.createIsolatedWorld",
                Map.of("frameId", frame.get("id"), "worldName", WORLD, "grantUniveralAccess", false));
        return world.get("executionContextId") instanceof Number id ? id.intValue() : null;
    }

    /** A cookie's {@code expires} is seconds since the epoch, or -1 for a session cookie. */
    private static Instant expiry(Map<String, Object> cookie) {
        Object expires = cookie.get("expires");
        if (!(expires instanceof Number seconds) || seconds.doubleValue() <= 0 || Boolean.TRUE.equals(cookie.get("session"))) {
            return null;
        }
        return Instant.ofEpochMilli((long) (seconds.doubleValue() * 1000));
    }
}
