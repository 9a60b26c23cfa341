package dev.latchkey.oauth;

import java.util.Map;
import java.util.Objects;

/** What the OAuth proxy answered a token, refresh or revocation request, parsed at the edge. */
public sealed interface ProxyAnswer {

    /**
     * Tokens (RFC 6749 §5.1, normalized by the proxy). {@code refreshToken} and {@code expiresIn}
     * are null when the provider sent none; {@code extras} says who signed in. No token in the text form.
     */
    record Tokens(String accessToken, String refreshToken, Long expiresIn, Map<String, String> extras)
            implements ProxyAnswer {
        public Tokens {
            Objects.requireNonNull(accessToken, "accessToken");
            extras = Map.copyOf(extras);
        }

        @Override
        public String toString() {
            return "Tokens[refreshToken " + (refreshToken == null ? "none" : "present") + ", expiresIn " + expiresIn
                    + ", extras " + extras.keySet() + "]";
        }
    }

    /** Revocation done. */
    record Revoked() implements ProxyAnswer {
    }

    /**
     * The proxy or the provider said no (RFC 6749 §5.2): {@code invalid_grant}, {@code access_denied},
     * {@code invalid_request} with a description that names the problem. Trying again will not help.
     */
    record Refused(int status, String error, String description) implements ProxyAnswer {
    }

    /**
     * No answer worth keeping: the proxy is down or timed out, or it or the provider failed (5xx,
     * 429). Trying again later may help.
     */
    record Unavailable(String reason) implements ProxyAnswer {
    }
}
