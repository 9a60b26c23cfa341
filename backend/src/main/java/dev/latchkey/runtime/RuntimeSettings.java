package dev.latchkey.runtime;

import java.time.Duration;
import java.util.List;

/**
 * How patient the runtime is with a server.
 *
 * @param startTimeout    how long a start may take, from spawning the process to the tool list
 * @param installTimeout  the same for a start that first fetches packages ({@code installing})
 * @param backoff         the waits before restarting a server that exited on its own, one per
 *                        attempt; when they are used up the install stays {@code failed}
 * @param stableAfter     a server that ran this long has its crash count reset
 * @param stopGrace       how long a stopped server may take to exit after SIGTERM before SIGKILL
 * @param toolCallTimeout how long one request to a running server (a tool call, a read) may take;
 *                        also the longest a call waits while its server restarts on refreshed credentials
 */
public record RuntimeSettings(Duration startTimeout, Duration installTimeout, List<Duration> backoff,
        Duration stableAfter, Duration stopGrace, Duration toolCallTimeout) {

    /** What a tool call may take unless set otherwise. */
    public static final Duration DEFAULT_TOOL_CALL_TIMEOUT = Duration.ofMinutes(10);

    public RuntimeSettings {
        backoff = List.copyOf(backoff);
        if (toolCallTimeout.isNegative() || toolCallTimeout.isZero()) {
            throw new IllegalArgumentException("tool call timeout: expected more than 0 s, got " + toolCallTimeout);
        }
    }

    /** Settings with the default tool-call timeout. */
    public RuntimeSettings(Duration startTimeout, Duration installTimeout, List<Duration> backoff,
            Duration stableAfter, Duration stopGrace) {
        this(startTimeout, installTimeout, backoff, stableAfter, stopGrace, DEFAULT_TOOL_CALL_TIMEOUT);
    }

    /** What the app uses. */
    public static RuntimeSettings defaults() {
        return new RuntimeSettings(Duration.ofSeconds(60), Duration.ofMinutes(5),
                List.of(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(15)),
                Duration.ofMinutes(2), Duration.ofSeconds(3));
    }

    /** These settings with another tool-call timeout. */
    public RuntimeSettings withToolCallTimeout(Duration timeout) {
        return new RuntimeSettings(startTimeout, installTimeout, backoff, stableAfter, stopGrace, timeout);
    }
}
