package dev.latchkey.provider;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Quote;

/**
 * The name of a provider: the one key shared by the OAuth proxy, the desktop provider definitions
 * and the catalog manifests (docs/architecture.md, "Names"). Lower-case letters and digits in
 * groups joined by single dashes ({@code ms-teams}), the same rule as the proxy's own
 * {@code ProviderName}, so every name the app accepts maps to one {@code MS_TEAMS_} prefix there.
 */
public record ProviderName(String value) {

    /** The rule, word for word the proxy's. */
    public static final String RULE = "[a-z0-9]+(-[a-z0-9]+)*";

    public ProviderName {
        if (value == null || !value.matches(RULE)) {
            throw new InvalidDefinitionException("name",
                    "must be lower-case letters, digits and single dashes (e.g. ms-teams), got " + Quote.of(value));
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
