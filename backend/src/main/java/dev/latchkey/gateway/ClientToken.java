package dev.latchkey.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A gateway client's bearer token: 256 random bits, shown once. Only its SHA-256 is stored; a
 * random token of that size needs no slow hash, and the hash is what a token is looked up by.
 */
final class ClientToken {

    /** Tokens start with this, so a user can tell a Latchkey client token from other secrets. */
    static final String PREFIX = "lkc_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientToken() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
