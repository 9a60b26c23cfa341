package dev.latchkey.install;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where an install stands in its lifecycle: {@code pending_auth} (waiting for consent or a
 * browser login) → {@code connecting} → {@code connected} (credentials stored) →
 * {@code installing} (a first start fetching packages) → {@code starting} → {@code running};
 * off the happy path {@code needs_reauth} (OAuth refresh failed), {@code needs_relogin} (browser
 * session expired), {@code failed} and {@code stopped}.
 */
public enum InstallStatus {
    PENDING_AUTH, CONNECTING, CONNECTED, INSTALLING, STARTING, RUNNING, NEEDS_REAUTH, NEEDS_RELOGIN, FAILED, STOPPED;

    static InstallStatus fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
