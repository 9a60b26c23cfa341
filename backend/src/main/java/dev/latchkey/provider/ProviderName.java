package dev.latchkey.provider;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Quote;

/**
 * The name of a provider: the one key shared by the OAuth proxy, the desktop provider definitions
 * and the catalog manifests (DESIGN.md, "Names"). Lower-case letters, digits and dashes.
 */
public record ProviderName(String value) {

    public ProviderName {
        if (value == null || !value.matches("[a-z0-9][a-z0-9-]*")) {
            throw new InvalidDefinitionException("name",
                    "must be lower-case letters, digits and dashes, starting with a letter or digit, got "
                            + Quote.of(value));
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
