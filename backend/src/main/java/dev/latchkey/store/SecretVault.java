package dev.latchkey.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret values (tokens, session cookies, sensitive settings) with AES-256-GCM before they
 * reach the database, so the database file holds no secret in plaintext.
 *
 * <p>The key lives in {@code vault.key} beside the database, readable by the user only: it is
 * written whole with mode {@code 0600} (never a half-written key), and a key file others may read is
 * refused. It protects a copied or synced database file; it does not protect against a program
 * running as the same user, which could read the key too (docs/security.md says so). The owner
 * (install id) and the name are bound in as associated data, so a sealed value moved to another
 * row fails to open.
 *
 * <p>A sealed value is {@code version (1 byte) | nonce (12) | ciphertext and GCM tag}; the version
 * names the key and cipher, so a later key rotation can tell old values from new.
 */
public final class SecretVault {

    private static final String KEY_FILE = "vault.key";
    /** The format of values sealed today: AES-256-GCM under the data directory's {@code vault.key}. */
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SecretVault(SecretKey key) {
        this.key = key;
    }

    /**
     * The vault of {@code dataDir}: as {@link #open(Path)}, but a missing key file is made anew only
     * while {@code sealedValues} (how many values the database holds sealed with a key) says none. A key lost
     * beside sealed secrets is refused by name: a new key would open none of them, and every
     * credential would fail later, one by one, with no word of why.
     */
    public static SecretVault open(Path dataDir, LongSupplier sealedValues) {
        Path file = dataDir.resolve(KEY_FILE);
        if (Files.notExists(file)) {
            long sealed = sealedValues.getAsLong();
            if (sealed > 0) {
                throw new StoreException("the vault key " + file + " is missing, but the database holds " + sealed
                        + (sealed == 1 ? " secret" : " secrets") + " sealed with it; restore that file from a backup"
                        + " (Latchkey makes no new key over sealed secrets, which only the old key opens)");
            }
        }
        return open(dataDir);
    }

    /** The vault of {@code dataDir}: its key is read from {@code vault.key}, or made there on first use. */
    public static SecretVault open(Path dataDir) {
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (Files.notExists(file)) {
                createKeyFile(file);
            }
            OwnerOnly.check(file, "the vault key");
            byte[] raw = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (raw.length != 32) {
                throw new StoreException(file + " does not hold a 256-bit key (found " + raw.length + " bytes)");
            }
            return new SecretVault(new SecretKeySpec(raw, "AES"));
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException("cannot read the vault key " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createKeyFile(Path file) throws IOException {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        OwnerOnly.write(file, (Base64.getEncoder().encodeToString(raw) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Seals {@code plaintext} as the secret {@code name} of {@code owner}. */
    public byte[] seal(String owner, String name, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, owner, name);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot seal secret " + name + " of " + owner + ": " + e.getMessage(), e);
        }
    }

    /** Opens a value sealed by {@link #seal}; a tampered value, another row's, or another key's fails. */
    public String open(String owner, String name, byte[] sealed) {
        if (sealed.length <= 1 + NONCE_BYTES) {
            throw new StoreException("secret " + name + " of " + owner + " is truncated");
        }
        if (sealed[0] != VERSION) {
            throw new StoreException("secret " + name + " of " + owner + " is sealed in format version " + sealed[0]
                    + "; this Latchkey opens version " + VERSION + " only");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES), owner, name);
            byte[] plain = cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new StoreException("secret " + name + " of " + owner
                    + " does not open: it was altered, or sealed with another vault key");
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String owner, String name) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD((owner + "\0" + name).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
