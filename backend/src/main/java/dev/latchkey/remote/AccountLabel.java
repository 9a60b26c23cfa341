package dev.latchkey.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * Who signed in, as the user knows the account, for the page's "connected as": read from the
 * token answer's OpenID {@code id_token}, else from the access token when it is a JWT (most
 * authorization servers of MCP servers issue those, the audience being the server). The claims
 * are read, not verified: the label names an account to the user, so two accounts of one server
 * can be told apart, and nothing is ever decided on it. An opaque token names no one (null).
 */
final class AccountLabel {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The claims that name an account, most readable first. */
    private static final List<String> CLAIMS = List.of("email", "preferred_username", "name", "sub");
    private static final int MAX_LENGTH = 100;

    private AccountLabel() {
    }

    /** The label of a token endpoint's answer, or null. */
    static String of(JsonNode answer) {
        for (String field : List.of("id_token", "access_token")) {
            String label = fromJwt(answer.path(field).asText(""));
            if (label != null) {
                return label;
            }
        }
        return null;
    }

    private static String fromJwt(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return null;
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            return null; // not a JWT after all: an opaque token with dots
        }
        for (String claim : CLAIMS) {
            String value = claims.path(claim).isTextual() ? claims.path(claim).textValue().replaceAll("\\p{Cntrl}", "").strip() : "";
            if (!value.isEmpty()) {
                return value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) + "…" : value;
            }
        }
        return null;
    }
}
