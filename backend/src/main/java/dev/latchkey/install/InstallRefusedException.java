package dev.latchkey.install;

/** An install request that cannot be carried out as asked; {@link #reason()} says which rule it broke. */
public final class InstallRefusedException extends RuntimeException {

    /** The rule a request broke; the API gives each its own error code. */
    public enum Reason { UNKNOWN_CATALOG_SERVER, UNSUPPORTED_AUTH, NOT_RUNNABLE, NOT_FOUND, BUSY, NEEDS_SIGN_IN }

    private final Reason reason;

    public InstallRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
