package dev.latchkey.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret values (tokens, session cookies, sensitive settings) with AES-256-GCM before they
 * reach the database, so the database file holds no secret in plaintext.
 *
 * <p>The key lives in {@code vault.key} beside the database, readable by the user only. It
 * protects a copied or synced database file; it does not protect against a program running as the
 * same user, which could read the key too (docs/security.md says so). The owner (install id) and
 * the name are bound in as associated data, so a sealed value moved to another row fails to open.
 */
public final class SecretVault {

    private static final String KEY_FILE = "vault.key";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SecretVault(SecretKey key) {
        this.key = key;
    }

    /** The vault of {@code dataDir}: its key is read from {@code vault.key}, or made there on first use. */
    public static SecretVault open(Path dataDir) {
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (Files.notExists(file)) {
                createKeyFile(file);
            }
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
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(raw) + "\n", StandardCharsets.US_ASCII);
    }

    /** Seals {@code plaintext} as the secret {@code name} of {@code owner}. */
    public byte[] seal(String owner, String name, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, owner, name);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot seal secret " + name + " of " + owner + ": " + e.getMessage(), e);
        }
    }

    /** Opens a value sealed by {@link #seal}; a tampered value, another row's, or another key's fails. */
    public String open(String owner, String name, byte[] sealed) {
        if (sealed.length <= NONCE_BYTES) {
            throw new StoreException("secret " + name + " of " + owner + " is truncated");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(sealed, NONCE_BYTES), owner, name);
            byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
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
