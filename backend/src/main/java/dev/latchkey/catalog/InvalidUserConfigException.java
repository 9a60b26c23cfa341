package dev.latchkey.catalog;

/**
 * A user_config value for an install is missing, of the wrong type or out of range. The message
 * names the field, what was expected and what came ({@code retries: must be at most 10, got 12}),
 * and never holds the value of a sensitive field.
 */
public final class InvalidUserConfigException extends RuntimeException {

    private final String field;

    public InvalidUserConfigException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The user_config key at fault. */
    public String field() {
        return field;
    }
}
