package dev.latchkey.gateway;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An MCP client allowed to use the gateway: its name, what it may use (every install, or only
 * {@code installIds}), and what it did. Carries no token; the store keeps only the token's hash.
 *
 * @param kind the client program it was connected for ({@code claude-desktop}, …), or null when made by hand
 */
public record GatewayClient(
        String id,
        String name,
        String kind,
        boolean allInstalls,
        Set<String> installIds,
        Instant createdAt,
        Instant revokedAt,
        Instant lastCallAt,
        long callCount) {

    public GatewayClient {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        installIds = Set.copyOf(installIds);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** True when this client may see and call the tools of {@code installId}. */
    public boolean mayUse(String installId) {
        return !revoked() && (allInstalls || installIds.contains(installId));
    }
}
