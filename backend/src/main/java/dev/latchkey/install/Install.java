package dev.latchkey.install;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One installed MCP server as the UI sees it. {@code userConfig} holds the values as entered, with
 * every sensitive value replaced by {@link #MASK}; secrets never leave the store in this type.
 *
 * @param network   whether its server may use the network (off: its sandbox has no network at all)
 * @param sandboxed whether its server was last started confined (in a bubblewrap sandbox, or a
 *                  docker server in its container); null until it first starts
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
        Instant updatedAt,
        boolean network,
        Boolean sandboxed) {

    /** What the UI shows in place of a sensitive value. */
    public static final String MASK = "••••••";

    public Install {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(catalogName, "catalogName");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(status, "status");
        userConfig = Map.copyOf(userConfig);
    }

    /** An install with the network on that has not started yet. */
    public Install(String id, String catalogName, String displayName, AuthMethod auth, String provider,
            InstallStatus status, String statusReason, String accountLabel, Map<String, Object> userConfig,
            Instant createdAt, Instant updatedAt) {
        this(id, catalogName, displayName, auth, provider, status, statusReason, accountLabel, userConfig, createdAt,
                updatedAt, true, null);
    }
}
