package dev.latchkey.gateway;

/** A request about gateway clients that cannot be done, with why and the field at fault (or null). */
public final class ClientRefusedException extends RuntimeException {

    /** Why the request was refused. */
    public enum Reason { INVALID, NOT_FOUND }

    private final Reason reason;
    private final String field;

    ClientRefusedException(Reason reason, String message, String field) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
