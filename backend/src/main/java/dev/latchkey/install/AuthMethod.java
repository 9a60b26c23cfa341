package dev.latchkey.install;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How an install is connected to its service. */
public enum AuthMethod {
    NONE, OAUTH, BROWSER;

    /** Parses {@code none}, {@code oauth} or {@code browser}; anything else is refused with the accepted words. */
    public static AuthMethod parse(String text) {
        for (AuthMethod method : values()) {
            if (method.wireName().equals(text)) {
                return method;
            }
        }
        throw new IllegalArgumentException("auth: expected \"none\", \"oauth\" or \"browser\", got "
                + (text == null ? "nothing" : "\"" + text + "\""));
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
