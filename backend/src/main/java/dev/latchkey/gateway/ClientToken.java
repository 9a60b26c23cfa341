package dev.latchkey.gateway;

import dev.latchkey.definition.Unguessable;

/**
 * A gateway client's bearer token: 256 random bits, shown once. Only its SHA-256 is stored; a
 * random token of that size needs no slow hash, and the hash is what a token is looked up by.
 */
final class ClientToken {

    /** Tokens start with this, so a user can tell a Latchkey client token from other secrets. */
    static final String PREFIX = "lkc_";

    private ClientToken() {
    }

    static String generate() {
        return PREFIX + Unguessable.token();
    }

    static String hash(String token) {
        return Unguessable.sha256Hex(token);
    }
}
