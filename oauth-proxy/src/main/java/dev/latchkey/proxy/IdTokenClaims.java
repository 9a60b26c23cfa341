package dev.latchkey.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Base64;

/** Reads the payload of a JWT ID token (RFC 7519 §7.2 steps 1-7, no signature check). */
final class IdTokenClaims {

    private IdTokenClaims() {
    }

    /** The claims object, or null when there is no ID token or it is not a JWT. */
    static JsonNode read(String idToken) {
        if (idToken == null) {
            return null;
        }
        String[] parts = idToken.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims != null && claims.isObject() ? claims : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
