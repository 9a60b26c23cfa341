package dev.latchkey.oauth;

import dev.latchkey.definition.Unguessable;
import java.util.Objects;

/**
 * A PKCE code verifier and its S256 challenge (RFC 7636 §4.1, §4.2). The verifier is a secret
 * until the code is exchanged: it is stored sealed and never printed.
 */
public record Pkce(String verifier) {

    public Pkce {
        Objects.requireNonNull(verifier, "verifier");
        if (!verifier.matches("[A-Za-z0-9\\-._~]{43,128}")) {
            throw new IllegalArgumentException("a PKCE verifier is 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)");
        }
    }

    /** 32 random bytes, base64url: 43 characters, 256 bits (RFC 7636 §4.1 recommends exactly this). */
    public static Pkce generate() {
        return new Pkce(Unguessable.token());
    }

    /** {@code BASE64URL(SHA256(ASCII(verifier)))} (RFC 7636 §4.2). */
    public String challenge() {
        return Unguessable.urlSafe(Unguessable.sha256(verifier));
    }

    @Override
    public String toString() {
        return "Pkce[verifier hidden]";
    }
}
