package dev.latchkey.api;

import dev.latchkey.definition.Unguessable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the Connectors page signs in without ever holding the API secret: a launch URL carries a
 * one-time code, good for {@link #CODE_LIFETIME}, that the page's first request trades for a
 * session value of its own (sent back as a cookie). Codes and sessions are kept only as SHA-256
 * digests, so looking one up leaks nothing through timing. Knows nothing of HTTP.
 */
public final class PageSessions {

    /** How long a launch code may wait before it is traded. */
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(2);

    private final Clock clock;
    private final Map<String, Instant> codeExpiry = new ConcurrentHashMap<>();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    public PageSessions(Clock clock) {
        this.clock = clock;
    }

    /** A fresh launch URL for the page on {@code port}: {@code http://127.0.0.1:PORT/?code=CODE}. */
    public String launchUrl(int port) {
        return "http://127.0.0.1:" + port + "/?code=" + newCode();
    }

    private String newCode() {
        Instant now = clock.instant();
        codeExpiry.values().removeIf(expiry -> !expiry.isAfter(now));
        String code = randomValue();
        codeExpiry.put(digest(code), now.plus(CODE_LIFETIME));
        return code;
    }

    /**
     * Uses up {@code code} and opens a session: its value, or empty when the code was never made,
     * was used already, or has expired.
     */
    Optional<String> trade(String code) {
        Instant expiry = code == null ? null : codeExpiry.remove(digest(code));
        if (expiry == null || !expiry.isAfter(clock.instant())) {
            return Optional.empty();
        }
        String session = randomValue();
        sessions.add(digest(session));
        return Optional.of(session);
    }

    /** True when {@code value} is a session a launch code was traded for. */
    boolean isSession(String value) {
        return value != null && sessions.contains(digest(value));
    }

    private static String randomValue() {
        return Unguessable.token();
    }

    private static String digest(String value) {
        return Unguessable.sha256Hex(value);
    }
}
