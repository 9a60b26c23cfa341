package dev.latchkey.install;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One installed MCP server as the UI sees it. {@code userConfig} holds the values as entered, with
 * every sensitive value replaced by {@link #MASK}; secrets never leave the store in this type.
 */
public record Install(
        String id,
        String catalogName,
        String displayName,
        AuthMethod auth,
        String provider,
        InstallStatus status,
        String statusReason,
        String accountLabel,
        Map<String, Object> userConfig,
        Instant createdAt,
        Instant updatedAt) {

    /** What the UI shows in place of a sensitive value. */
    public static final String MASK = "••••••";

    public Install {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(catalogName, "catalogName");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(status, "status");
        userConfig = Map.copyOf(userConfig);
    }
}
