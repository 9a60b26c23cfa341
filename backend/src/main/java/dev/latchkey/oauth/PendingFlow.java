package dev.latchkey.oauth;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * An authorization request waiting for its callback, as taken from the store (the verifier open).
 * Bound to one install and one provider; single use; dead after {@code expiresAt}.
 */
record PendingFlow(String installId, String provider, URI redirectUri, Pkce pkce, Instant createdAt, Instant expiresAt) {

    PendingFlow {
        Objects.requireNonNull(installId, "installId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(pkce, "pkce");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
