package dev.latchkey.remote;

/**
 * A remote server's sign-in that cannot go on, with one sentence a person can act on (never a
 * token: the sentence names URLs, fields and error codes only).
 */
public final class RemoteAuthException extends RuntimeException {

    /** What went wrong, for the caller that must choose a status (e.g. {@code needs_reauth}). */
    public enum Reason {
        /** The server, its metadata or its authorization server broke a rule of the spec. */
        BAD_METADATA,
        /** Latchkey cannot register: the authorization server refused, or offers no way; a client id is needed. */
        NO_CLIENT,
        /** The authorization server refused the sign-in or the token request. */
        REFUSED,
        /** The authorization server no longer accepts the grant (RFC 6749 §5.2 {@code invalid_grant}): sign in again. */
        INVALID_GRANT,
        /** A server did not answer in time or could not be reached. */
        UNREACHABLE,
        /** A fresh token was refused again, or more scopes were asked for than one step-up gives. */
        STILL_REFUSED
    }

    private final Reason reason;

    public RemoteAuthException(Reason reason, String sentence) {
        super(sentence);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
