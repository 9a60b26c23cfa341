package dev.latchkey.oauth;

import dev.latchkey.provider.OAuthSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The authorization request URL (RFC 6749 §4.1.1 with RFC 7636 §4.3): the provider's endpoint
 * with {@code response_type=code}, the public client id, the redirect URI, the scopes joined by the
 * provider's separator, the state, the S256 challenge, then the provider's own parameters.
 */
final class AuthorizationUrl {

    private AuthorizationUrl() {
    }

    static URI build(OAuthSettings oauth, String clientId, URI redirectUri, String state, Pkce pkce) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", redirectUri.toString());
        if (!oauth.scopes().isEmpty()) {
            query.put("scope", oauth.scopeParameter());
        }
        query.put("state", state);
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        // Sorted, so the same definition always gives the same URL.
        query.putAll(new TreeMap<>(oauth.authorizationParams()));
        String endpoint = oauth.authorizationUrl().toString();
        String joined = query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + joined);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
