package dev.latchkey.provider;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which browser shows the consent page: the system browser (RFC 8252 §8.12; Google refuses
 * embedded browsers) or Latchkey's embedded window, for providers that allow it.
 */
public enum AuthorizeIn {
    SYSTEM,
    EMBEDDED;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
