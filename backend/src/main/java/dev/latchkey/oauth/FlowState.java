package dev.latchkey.oauth;

import dev.latchkey.definition.Unguessable;

/**
 * The {@code state} of one authorization request (RFC 6749 §10.12): {@code <port>.<43 base64url
 * characters>}, 256 random bits after the loopback port. The proxy's callback relay reads the port
 * to send the browser back to this app (docs/oauth-proxy.md); the random part is what makes the
 * state unguessable. Only its SHA-256 hash is stored.
 */
final class FlowState {

    private FlowState() {
    }

    static String generate(int port) {
        return port + "." + Unguessable.token();
    }

    /** What is stored and looked up: the hex SHA-256 of the whole state. */
    static String hash(String state) {
        return Unguessable.sha256Hex(state);
    }
}
