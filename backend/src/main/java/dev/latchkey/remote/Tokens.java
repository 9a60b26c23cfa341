package dev.latchkey.remote;

import java.util.Objects;

/**
 * What a token endpoint answered (RFC 6749 §5.1): the access token, the refresh token when one
 * came, seconds to expiry when given, the granted scope when it was named, and the account the
 * answer names ({@link AccountLabel}), or null.
 */
public record Tokens(String accessToken, String refreshToken, Long expiresIn, String scope, String account) {

    public Tokens {
        Objects.requireNonNull(accessToken, "accessToken");
    }

    @Override
    public String toString() {
        return "Tokens[hidden, refresh " + (refreshToken != null) + ", expiresIn " + expiresIn + ", scope " + scope + "]";
    }
}
