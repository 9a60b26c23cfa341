package dev.latchkey.proxy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one normalized token answer of the proxy (RFC 6749 §5.1 plus {@code extras}: what a
 * provider says about the account, e.g. Slack's {@code team_id}). {@code expiresIn},
 * {@code refreshToken} and {@code scope} are null when the provider sent none.
 * {@link #toString()} shows no token.
 */
record TokenResponse(
        String accessToken,
        String tokenType,
        Integer expiresIn,
        String refreshToken,
        String scope,
        Map<String, Object> extras) {

    TokenResponse {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(tokenType, "tokenType");
        extras = Map.copyOf(extras);
    }

    /** The JSON body; absent values are left out. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("token_type", tokenType);
        if (expiresIn != null) {
            body.put("expires_in", expiresIn);
        }
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        if (scope != null) {
            body.put("scope", scope);
        }
        body.put("extras", new java.util.TreeMap<>(extras));
        return body;
    }

    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn
                + ", refreshToken=" + (refreshToken == null ? "none" : "(hidden)") + ", scope=" + scope
                + ", extras=" + extras.keySet() + "]";
    }
}
