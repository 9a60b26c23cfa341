package dev.latchkey.provider;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where the provider sends the browser back after consent: straight to the backend's loopback
 * listener (RFC 8252 §7.3), or to the OAuth proxy's HTTPS callback page, which relays code and
 * state to the loopback listener (providers that demand a registered HTTPS redirect).
 */
public enum Redirect {
    LOOPBACK,
    PROXY;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
