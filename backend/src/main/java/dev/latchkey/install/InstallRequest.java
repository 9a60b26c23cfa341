package dev.latchkey.install;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request to install one catalog server, with the user's settings, the chosen way to connect, and
 * whether its server may use the network ({@code false}: its sandbox gets no network).
 */
public record InstallRequest(String catalogName, Map<String, Object> userConfig, AuthMethod auth, boolean network) {

    public InstallRequest {
        if (catalogName == null || catalogName.isBlank()) {
            throw new IllegalArgumentException("catalogName: a catalog server name is required");
        }
        Objects.requireNonNull(auth, "auth");
        // Values may be JSON null (an optional field left empty), which Map.copyOf refuses.
        userConfig = Collections.unmodifiableMap(userConfig == null ? Map.of() : new LinkedHashMap<>(userConfig));
    }

    /** A request with the network on. */
    public InstallRequest(String catalogName, Map<String, Object> userConfig, AuthMethod auth) {
        this(catalogName, userConfig, auth, true);
    }
}
