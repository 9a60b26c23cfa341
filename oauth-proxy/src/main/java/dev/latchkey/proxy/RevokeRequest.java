package dev.latchkey.proxy;

import java.util.Objects;
import java.util.Set;

/**
 * A validated request to {@code POST /oauth/revoke} (RFC 7009 §2.1); {@code tokenTypeHint} is
 * {@code access_token}, {@code refresh_token} or null.
 */
record RevokeRequest(ProviderName provider, String token, String tokenTypeHint) {

    RevokeRequest {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(token, "token");
        if (tokenTypeHint != null && !Set.of("access_token", "refresh_token").contains(tokenTypeHint)) {
            throw new OAuthError(400, "unsupported_token_type",
                    "token_type_hint must be access_token or refresh_token").failure();
        }
    }

    static RevokeRequest parse(Fields fields) {
        return new RevokeRequest(
                TokenGrant.providerName(fields.required("provider")),
                fields.required("token"),
                fields.optional("token_type_hint"));
    }

    @Override
    public String toString() {
        return "RevokeRequest[" + provider + ", hint=" + tokenTypeHint + "]";
    }
}
