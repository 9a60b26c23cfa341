package dev.latchkey.provider;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Quote;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to send a user to a provider's consent page: the public half of an OAuth 2.0 authorization
 * code grant with PKCE (RFC 6749 §4.1, RFC 7636). The client secret and the token endpoint live
 * in the OAuth proxy, never here.
 *
 * @param authorizationUrl    the provider's authorization endpoint, https (plain http only on 127.0.0.1 or
 *                            localhost: a local authorization server a developer or a test runs)
 * @param scopes              scopes for the {@code scope} parameter; may be empty (Slack's user scopes go in {@code authorizationParams.user_scope})
 * @param scopeSeparator      {@code " "} (RFC 6749 §3.3) or {@code ","} (Slack, Linear)
 * @param usePKCE             always true: Latchkey holds no client secret, so PKCE is what binds the code to this app
 * @param clientId            the public client id; may be empty until configured, see {@link ProviderRegistry}
 * @param authorizationParams extra query parameters, e.g. Google's {@code access_type=offline}
 * @param redirect            loopback or proxy
 * @param authorizeIn         system browser or embedded window
 * @param supportsRefresh     whether the provider issues refresh tokens that the proxy can use
 */
@JsonPropertyOrder({"authorizationUrl", "scopes", "scopeSeparator", "usePKCE", "clientId",
        "authorizationParams", "redirect", "authorizeIn", "supportsRefresh"})
public record OAuthSettings(
        URI authorizationUrl,
        List<String> scopes,
        String scopeSeparator,
        boolean usePKCE,
        String clientId,
        Map<String, String> authorizationParams,
        Redirect redirect,
        AuthorizeIn authorizeIn,
        boolean supportsRefresh) {

    /** The token fields an OAuth provider can hand to a server: what the proxy returns, normalized. */
    public static final Set<String> TOKEN_FIELDS = Set.of("accessToken", "refreshToken", "expiresAt");

    private static final Set<String> RESERVED_PARAMS = Set.of("response_type", "client_id",
            "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method");

    public OAuthSettings {
        requireHttpsOrLoopback("authorizationUrl", authorizationUrl);
        scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
        for (String scope : scopes) {
            if (scope.isBlank() || scope.contains(" ") || scope.contains(",")) {
                throw new InvalidDefinitionException("scopes",
                        "each scope must be one word with no spaces or commas, got " + Quote.of(scope));
            }
        }
        if (!" ".equals(scopeSeparator) && !",".equals(scopeSeparator)) {
            throw new InvalidDefinitionException("scopeSeparator",
                    "must be \" \" or \",\", got " + Quote.of(scopeSeparator));
        }
        if (!usePKCE) {
            throw new InvalidDefinitionException("usePKCE",
                    "must be true: Latchkey holds no client secret, so every authorization uses PKCE");
        }
        Objects.requireNonNull(clientId, "clientId");
        authorizationParams = Map.copyOf(Objects.requireNonNull(authorizationParams, "authorizationParams"));
        for (String key : authorizationParams.keySet()) {
            if (RESERVED_PARAMS.contains(key)) {
                throw new InvalidDefinitionException("authorizationParams",
                        Quote.of(key) + " is set by Latchkey itself and cannot be overridden");
            }
        }
        Objects.requireNonNull(redirect, "redirect");
        Objects.requireNonNull(authorizeIn, "authorizeIn");
    }

    /** The value of the {@code scope} parameter: the scopes joined by the separator. */
    @JsonIgnore
    public String scopeParameter() {
        return String.join(scopeSeparator, scopes);
    }

    /** The same settings with another public client id (the environment override). */
    public OAuthSettings withClientId(String newClientId) {
        return new OAuthSettings(authorizationUrl, scopes, scopeSeparator, usePKCE, newClientId,
                authorizationParams, redirect, authorizeIn, supportsRefresh);
    }

    /** https, or http on the loopback interface, where nothing crosses a network. */
    static void requireHttpsOrLoopback(String field, URI url) {
        boolean loopbackHttp = url != null && "http".equalsIgnoreCase(url.getScheme())
                && ("127.0.0.1".equals(url.getHost()) || "localhost".equals(url.getHost()));
        if (!loopbackHttp) {
            requireHttps(field, url);
        }
    }

    static void requireHttps(String field, URI url) {
        if (url == null || !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new InvalidDefinitionException(field, "must be an https URL, got " + Quote.of(url));
        }
    }
}
