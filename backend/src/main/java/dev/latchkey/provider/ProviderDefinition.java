package dev.latchkey.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Origin;
import dev.latchkey.definition.Quote;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A desktop provider definition (docs/providers.md): how Latchkey connects
 * one service, either by OAuth ({@link OAuthSettings}) or by browser login
 * ({@link BrowserAuthSettings}) — exactly one — and how the values it gets are handed to an MCP
 * server: as environment variables ({@code tokenEnvVarPattern}) and/or credential files.
 *
 * <p>Serialized for {@code GET /api/providers} in the shape of the definition file (OAuth fields
 * at the top level, {@code browserAuth} as an object) plus {@code kind} and {@code source}.
 *
 * @param tokenEnvVarPattern value name → environment variable; OAuth value names are
 *                           {@link OAuthSettings#TOKEN_FIELDS}, browser value names are the {@code extract} names
 */
@JsonPropertyOrder({"name", "displayName", "kind", "source"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderDefinition(
        ProviderName name,
        String displayName,
        @JsonUnwrapped OAuthSettings oauth,
        BrowserAuthSettings browserAuth,
        Map<String, String> tokenEnvVarPattern,
        List<CredentialFile> credentialFiles,
        Origin source) {

    public ProviderDefinition {
        Objects.requireNonNull(name, "name");
        if (displayName == null || displayName.isBlank()) {
            throw new InvalidDefinitionException("displayName", "must be a non-empty text, got " + Quote.of(displayName));
        }
        if ((oauth == null) == (browserAuth == null)) {
            throw new InvalidDefinitionException(oauth == null ? "authorizationUrl" : "browserAuth",
                    "a provider has either the OAuth fields or a browserAuth object, exactly one");
        }
        tokenEnvVarPattern = Map.copyOf(Objects.requireNonNull(tokenEnvVarPattern, "tokenEnvVarPattern"));
        credentialFiles = List.copyOf(Objects.requireNonNull(credentialFiles, "credentialFiles"));
        Objects.requireNonNull(source, "source");
        Set<String> values = oauth != null ? OAuthSettings.TOKEN_FIELDS : browserAuth.extract().keySet();
        String expected = oauth != null ? "a token field (accessToken, refreshToken, expiresAt)" : "an extract name";
        tokenEnvVarPattern.forEach((value, env) -> {
            if (!values.contains(value)) {
                throw new InvalidDefinitionException("tokenEnvVarPattern",
                        "maps " + Quote.of(value) + ", which is not " + expected);
            }
            if (env == null || !env.matches("[A-Z_][A-Z0-9_]*")) {
                throw new InvalidDefinitionException("tokenEnvVarPattern." + value,
                        "must be an environment variable name in capitals, got " + Quote.of(env));
            }
        });
        for (int i = 0; i < credentialFiles.size(); i++) {
            for (String placeholder : credentialFiles.get(i).placeholders()) {
                if (!values.contains(placeholder)) {
                    throw new InvalidDefinitionException("credentialFiles[" + i + "].template",
                            "uses ${" + placeholder + "}, which is not " + expected);
                }
            }
        }
        if (tokenEnvVarPattern.isEmpty() && credentialFiles.isEmpty()) {
            throw new InvalidDefinitionException("tokenEnvVarPattern",
                    "must map at least one value to an environment variable, unless credentialFiles are given");
        }
    }

    /** {@code "oauth"} or {@code "browser"}. */
    @JsonProperty("kind")
    public String kind() {
        return oauth != null ? "oauth" : "browser";
    }

    /** The same definition with another public client id; only for OAuth providers. */
    ProviderDefinition withClientId(String clientId) {
        return new ProviderDefinition(name, displayName, oauth.withClientId(clientId), browserAuth,
                tokenEnvVarPattern, credentialFiles, source);
    }
}
