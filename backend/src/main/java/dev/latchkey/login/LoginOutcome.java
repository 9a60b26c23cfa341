package dev.latchkey.login;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How a sign-in ended. Only {@link Extracted} carries values; every other outcome stores nothing. */
public sealed interface LoginOutcome {

    /**
     * Signed in, and every {@code extract} value read with its shape.
     *
     * @param values    extract name → value, exactly as the browser holds it
     * @param expiresAt the earliest expiry of the cookies read; null when they last for the session or no cookie was read
     */
    record Extracted(Map<String, String> values, Instant expiresAt) implements LoginOutcome {

        public Extracted {
            values = Map.copyOf(values);
        }

        /** Never the values. */
        @Override
        public String toString() {
            return "Extracted[values " + values.keySet().stream().sorted().toList() + ", expiresAt " + expiresAt + "]";
        }
    }

    /** The user closed the window (or the caller interrupted the sign-in). */
    record Cancelled() implements LoginOutcome {
    }

    /**
     * The provider's {@code timeoutSeconds} passed first.
     *
     * @param waitingFor what was still missing, in words and without any value, e.g.
     *                   {@code "the page to reach readyWhen"} or {@code "the value \"cookie\""}
     */
    record TimedOut(Duration after, String waitingFor) implements LoginOutcome {
    }

    /**
     * The window ended (closed or timed out) without values after the navigation rule had refused
     * something: the likely reason the sign-in could not finish (e.g. a company SSO host that is
     * not in {@code allowedHosts}).
     *
     * @param refused each refused navigation or pop-up, as {@code "navigation to https://host/path"}
     *                or {@code "pop-up to https://host/path"}, oldest first (no query strings)
     */
    record Blocked(List<String> refused) implements LoginOutcome {

        public Blocked {
            refused = List.copyOf(refused);
            if (refused.isEmpty()) {
                throw new IllegalArgumentException("Blocked names at least one refused navigation");
            }
        }
    }

    /** The login could not run or not finish: the browser would not start or crashed. A sentence a person can act on. */
    record Failed(String reason) implements LoginOutcome {

        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
