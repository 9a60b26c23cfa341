package dev.latchkey.proxy;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed-window request limit per client address, kept in memory: each replica counts its own
 * clients, which is enough to stop one address from hammering the token endpoint through it.
 */
final class RateLimiter {

    /** Past this many addresses, windows that have ended are dropped. */
    private static final int SWEEP_ABOVE = 10_000;
    private static final long WINDOW_MILLIS = 60_000;

    private record Window(long start, int count) {
    }

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Counts one request from {@code address}; returns 0 when allowed, else the seconds until it may retry. */
    long admit(String address) {
        long now = clock.millis();
        long start = now - now % WINDOW_MILLIS;
        Window window = windows.merge(address, new Window(start, 1),
                (old, fresh) -> old.start() == start ? new Window(start, old.count() + 1) : fresh);
        if (windows.size() > SWEEP_ABOVE) {
            windows.values().removeIf(w -> w.start() < start);
        }
        return window.count() <= perMinute ? 0 : Math.max(1, (start + WINDOW_MILLIS - now + 999) / 1000);
    }
}
