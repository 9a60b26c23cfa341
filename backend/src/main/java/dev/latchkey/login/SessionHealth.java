package dev.latchkey.login;

/** What a provider's session check said. Reasons are words for a person, never a value. */
public sealed interface SessionHealth {

    /** The service accepted the session; {@code accountLabel} names who is signed in, or is null. */
    record Healthy(String accountLabel) implements SessionHealth {
    }

    /** The service answered, and not as it does for a working session: sign in again. */
    record Failing(String reason) implements SessionHealth {
    }

    /** The service could not be asked (network, timeout, its own trouble): nothing is known about the session. */
    record Unreachable(String reason) implements SessionHealth {
    }
}
