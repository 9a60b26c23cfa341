package dev.latchkey.definition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Values nobody can guess — the per-launch API secret, page sessions and their one-time codes,
 * sign-in links, OAuth states and PKCE verifiers, client tokens — and the one-way hash under which
 * the app keeps those it must recognise later, so a copy of the database holds none of them.
 */
public final class Unguessable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private Unguessable() {
    }

    /** 32 random bytes, base64url without padding: 43 characters of {@code A-Z a-z 0-9 - _}, 256 bits. */
    public static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return URL_SAFE.encodeToString(bytes);
    }

    /** The SHA-256 of the value's UTF-8 bytes. */
    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** {@link #sha256} in lower-case hex: what is stored and looked up instead of the value. */
    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    /** Bytes in base64url without padding (a PKCE challenge, for one). */
    public static String urlSafe(byte[] bytes) {
        return URL_SAFE.encodeToString(bytes);
    }
}
