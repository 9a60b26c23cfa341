package dev.latchkey.proxy;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixed-window request limit per client address, kept in memory: each replica counts its own
 * clients, which is enough to stop one address from hammering the token endpoint through it.
 *
 * <p>Memory is bounded: it remembers at most {@code maxAddresses} addresses, and past that forgets
 * the one seen least recently. An address that keeps sending stays among the most recent, so a
 * flood of new addresses cannot wipe its count; an address that was forgotten starts a new count.
 */
final class RateLimiter {

    /** About 100 bytes each: at most ~10 MB of windows per replica. */
    static final int MAX_ADDRESSES = 100_000;
    static final long WINDOW_MILLIS = 60_000;

    private static final class Window {
        long start;
        int count;
    }

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Window> windows;

    RateLimiter(int perMinute, Clock clock) {
        this(perMinute, clock, MAX_ADDRESSES);
    }

    RateLimiter(int perMinute, Clock clock, int maxAddresses) {
        this.perMinute = perMinute;
        this.clock = clock;
        this.windows = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > maxAddresses;
            }
        };
    }

    /** Counts one request from {@code address}; returns 0 when allowed, else the seconds until it may retry. */
    long admit(String address) {
        long now = clock.millis();
        long start = now - now % WINDOW_MILLIS;
        int count;
        // One short critical section per request; the map keeps the recency order that eviction needs.
        synchronized (windows) {
            Window window = windows.computeIfAbsent(address, a -> new Window());
            if (window.start != start) {
                window.start = start;
                window.count = 0;
            }
            count = ++window.count;
        }
        return count <= perMinute ? 0 : Math.max(1, (start + WINDOW_MILLIS - now + 999) / 1000);
    }

    /** How many addresses it remembers now. */
    int size() {
        synchronized (windows) {
            return windows.size();
        }
    }
}
