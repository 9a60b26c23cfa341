package dev.latchkey.definition;

/** Quotes a value from a definition file for an error message, so blanks and nulls stay visible. */
public final class Quote {

    private static final int MAX = 80;

    private Quote() {
    }

    /** {@code null} for a missing value, otherwise the value in double quotes, cut at 80 characters. */
    public static String of(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        if (text.length() > MAX) {
            text = text.substring(0, MAX) + "…";
        }
        return "\"" + text.replace("\"", "\\\"") + "\"";
    }
}
