package dev.latchkey.install;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an install stands in its lifecycle (DESIGN.md, "Install lifecycle"). */
public enum InstallStatus {
    PENDING_AUTH, CONNECTING, STARTING, RUNNING, NEEDS_REAUTH, FAILED, STOPPED;

    static InstallStatus fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
