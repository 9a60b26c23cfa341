package dev.latchkey.oauth;

/** An OAuth install or reconnect that cannot start; {@link #reason()} says why, the message what to do. */
public final class OAuthRefusedException extends RuntimeException {

    /** Why; the API gives each its own code and status. */
    public enum Reason {
        /** The catalog names a provider Latchkey has no OAuth definition for. */
        UNKNOWN_PROVIDER,
        /** The proxy answers but does not serve the provider, or nobody knows its public client id. */
        PROVIDER_NOT_CONFIGURED,
        /** The proxy does not answer. */
        PROXY_UNAVAILABLE,
        /** The install is not connected by OAuth. */
        NOT_OAUTH
    }

    private final Reason reason;

    OAuthRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
