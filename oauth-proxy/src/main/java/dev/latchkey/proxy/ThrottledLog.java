package dev.latchkey.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Log lines that a storm cannot multiply: per kind of event, at most one line per interval, and
 * that line says how many events of its kind went unlogged since the last one. A request thread
 * that loses the race for the interval only counts (one lock-free add), so a thousand failing
 * requests a second write one line each interval instead of queueing on the logger's lock.
 */
final class ThrottledLog {

    /** Kinds are provider × failure or status × error code; past this many, the rest share one. */
    private static final int MAX_KINDS = 1_000;

    private static final class Kind {
        final AtomicLong nextLineAt;
        final LongAdder unlogged = new LongAdder();

        Kind(long now) {
            nextLineAt = new AtomicLong(now);
        }
    }

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    ThrottledLog(Logger log, long intervalNanos, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
    }

    /** Logs {@code line} at WARN unless a line of this kind was logged within the interval. */
    void warn(String kind, String line) {
        write(kind, line, true);
    }

    /** Logs {@code line} at INFO unless a line of this kind was logged within the interval. */
    void info(String kind, String line) {
        write(kind, line, false);
    }

    private void write(String kind, String line, boolean warn) {
        long now = nanoClock.getAsLong();
        Kind counted = kinds.get(kind);
        if (counted == null) {
            counted = kinds.size() < MAX_KINDS ? kinds.computeIfAbsent(kind, k -> new Kind(now))
                    : kinds.computeIfAbsent("(other kinds)", k -> new Kind(now));
        }
        long due = counted.nextLineAt.get();
        if (now - due < 0 || !counted.nextLineAt.compareAndSet(due, now + intervalNanos)) {
            counted.unlogged.increment();
            return;
        }
        long unlogged = counted.unlogged.sumThenReset();
        String text = unlogged == 0 ? line
                : line + " (and " + unlogged + " more like it since the last such line)";
        if (warn) {
            log.warn(text);
        } else {
            log.info(text);
        }
    }
}
