package dev.latchkey.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.latchkey.definition.Origin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One MCP server of the catalog, read from its manifest (Archestra catalog format, after MCPB):
 * what it is, how it is run, what the user fills in, and how it connects to a service.
 * Serialized for {@code GET /api/catalog} with the manifest's snake_case names plus the derived
 * {@code auth}, {@code runnable} and {@code problem}.
 *
 * @param userConfig the settings, in manifest order
 * @param problem    why Latchkey cannot run this server (a sentence a person can act on), or null
 */
@JsonPropertyOrder({"name", "display_name", "description", "source", "server", "user_config",
        "archestra_config", "auth", "runnable", "problem"})
public record CatalogServer(
        String name,
        @JsonProperty("display_name") String displayName,
        String description,
        ServerSpec server,
        @JsonProperty("user_config") Map<String, UserConfigField> userConfig,
        @JsonProperty("archestra_config") ArchestraConfig archestraConfig,
        Origin source,
        String problem) {

    public CatalogServer {
        Objects.requireNonNull(name, "name");
        displayName = displayName == null || displayName.isBlank() ? name : displayName;
        description = description == null ? "" : description;
        Objects.requireNonNull(server, "server");
        userConfig = userConfig == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(userConfig));
        archestraConfig = archestraConfig == null ? ArchestraConfig.NONE : archestraConfig;
        Objects.requireNonNull(source, "source");
    }

    /** The ways this server can be connected: {@code oauth} and/or {@code browser}, or {@code none} alone. */
    @JsonProperty("auth")
    public List<String> auth() {
        List<String> ways = new ArrayList<>();
        if (oauthProvider().isPresent()) {
            ways.add("oauth");
        }
        if (offersBrowserLogin()) {
            ways.add("browser");
        }
        return ways.isEmpty() ? List.of("none") : List.copyOf(ways);
    }

    @JsonProperty("runnable")
    public boolean runnable() {
        return problem == null;
    }

    /** The OAuth provider named by {@code archestra_config.oauth.provider}. */
    @JsonIgnore
    public Optional<String> oauthProvider() {
        return Optional.ofNullable(archestraConfig.oauth().provider());
    }

    /** The browser-login provider: {@code browser_based.provider}, else {@code <oauth provider>-browser}. */
    @JsonIgnore
    public Optional<String> browserProvider() {
        return Optional.ofNullable(archestraConfig.browserBased().provider());
    }

    /** Whether the manifest offers browser login ({@code browser_based.required} true, or a provider named). */
    @JsonIgnore
    public boolean offersBrowserLogin() {
        return archestraConfig.browserBased().required() || archestraConfig.browserBased().provider() != null;
    }

    /** Whether the setting {@code key} is marked sensitive (stored encrypted, never shown). */
    public boolean isSensitive(String key) {
        UserConfigField field = userConfig.get(key);
        return field != null && field.sensitive();
    }
}
