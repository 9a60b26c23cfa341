package dev.latchkey.definition;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a definition came from: shipped inside Latchkey, or a file in the user's folder. */
public enum Origin {
    BUILT_IN("built-in"),
    USER("user");

    private final String label;

    Origin(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
