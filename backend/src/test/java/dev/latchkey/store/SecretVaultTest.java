package dev.latchkey.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretVaultTest {

    @TempDir
    Path dataDir;

    @Test
    void a_sealed_value_opens_to_the_same_text_after_the_vault_is_reopened() throws Exception {
        byte[] sealed = SecretVault.open(dataDir).seal("install-1", "token.access", "xoxc-123-secret");

        assertThat(SecretVault.open(dataDir).open("install-1", "token.access", sealed)).isEqualTo("xoxc-123-secret");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("xoxc");
    }

    @Test
    void the_key_file_is_readable_by_its_owner_only() throws Exception {
        SecretVault.open(dataDir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("vault.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void a_value_moved_to_another_install_does_not_open() {
        SecretVault vault = SecretVault.open(dataDir);
        byte[] sealed = vault.seal("install-1", "token.access", "secret-value");

        assertThatThrownBy(() -> vault.open("install-2", "token.access", sealed))
                .isInstanceOf(StoreException.class)
                .hasMessage("secret token.access of install-2 does not open: it was altered, or sealed with another vault key");
    }

    @Test
    void a_tampered_value_does_not_open_and_the_error_holds_no_secret() {
        SecretVault vault = SecretVault.open(dataDir);
        byte[] sealed = vault.seal("install-1", "token.access", "secret-value");
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> vault.open("install-1", "token.access", sealed))
                .isInstanceOf(StoreException.class)
                .hasMessageNotContaining("secret-value");
    }

    @Test
    void a_key_file_that_is_not_256_bits_is_refused_by_name() throws Exception {
        Files.writeString(dataDir.resolve("vault.key"), "c2hvcnQ=\n");

        assertThatThrownBy(() -> SecretVault.open(dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("vault.key does not hold a 256-bit key (found 5 bytes)");
    }
}
