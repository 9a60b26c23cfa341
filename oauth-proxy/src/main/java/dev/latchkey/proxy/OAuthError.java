package dev.latchkey.proxy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer of the proxy: the HTTP status and the RFC 6749 §5.2 body
 * ({@code error}, {@code error_description}). The description never holds a secret, code or token.
 */
public record OAuthError(int status, String error, String description) {

    public OAuthError {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx, got " + status);
        }
        if (error == null || !error.matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
            throw new IllegalArgumentException("an OAuth error code is printable ASCII without quote or backslash");
        }
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    /** The JSON body. */
    public Map<String, String> body() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return body;
    }

    /** Thrown where a request cannot go on; the one exception mapper turns it into the answer. */
    public static final class Failure extends RuntimeException {
        private final OAuthError error;

        public Failure(OAuthError error) {
            super(error.error() + ": " + error.description(), null, false, false);
            this.error = error;
        }

        public OAuthError error() {
            return error;
        }
    }

    /** This error as an exception to throw. */
    public Failure failure() {
        return new Failure(this);
    }
}
