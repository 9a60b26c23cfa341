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
    void a_tampered_value_does_not_open() {
        SecretVault vault = SecretVault.open(dataDir);
        byte[] sealed = vault.seal("install-1", "token.access", "secret-value");
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> vault.open("install-1", "token.access", sealed))
                .isInstanceOf(StoreException.class)
                .hasMessage("secret token.access of install-1 does not open: it was altered, or sealed with another vault key");
    }

    @Test
    void a_sealed_value_starts_with_its_format_version_and_another_version_is_refused_by_name() {
        SecretVault vault = SecretVault.open(dataDir);
        byte[] sealed = vault.seal("install-1", "token.access", "secret-value");

        assertThat(sealed[0]).isEqualTo((byte) 1);
        sealed[0] = 2;
        assertThatThrownBy(() -> vault.open("install-1", "token.access", sealed))
                .isInstanceOf(StoreException.class)
                .hasMessage("secret token.access of install-1 is sealed in format version 2; this Latchkey opens version 1 only");
    }

    @Test
    void the_key_file_is_written_whole_in_one_step_and_leaves_no_temporary_file() throws Exception {
        SecretVault.open(dataDir);

        try (var files = Files.list(dataDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("vault.key");
        }
        assertThat(Files.readString(dataDir.resolve("vault.key"))).matches("[A-Za-z0-9+/]{43}=\n");
    }

    @Test
    void a_key_file_others_can_read_is_refused_with_the_chmod_to_run() throws Exception {
        SecretVault.open(dataDir);
        Path key = dataDir.resolve("vault.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> SecretVault.open(dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("the vault key " + key + " may be read by others (rw-r--r--)")
                .hasMessageEndingWith("run  chmod 600 " + key);
    }

    @Test
    void a_key_file_that_is_not_256_bits_is_refused_by_name() throws Exception {
        Files.writeString(dataDir.resolve("vault.key"), "c2hvcnQ=\n");
        Files.setPosixFilePermissions(dataDir.resolve("vault.key"), PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> SecretVault.open(dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("vault.key does not hold a 256-bit key (found 5 bytes)");
    }

    @Test
    void a_missing_key_beside_sealed_rows_is_refused_by_name_and_no_new_key_is_made() {
        try (Database database = Database.open(dataDir)) {
            byte[] sealed = SecretVault.open(dataDir, () -> SealedValues.count(database))
                    .seal("install-1", "token.access", "secret-value");
            database.inTransaction(connection -> connection.createStatement().executeUpdate(
                    "INSERT INTO installs (id, catalog_name, display_name, auth_method, status, created_at, updated_at)"
                            + " VALUES ('install-1', 'acme', 'Acme', 'none', 'stopped', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"));
            database.inTransaction(connection -> {
                var insert = connection.prepareStatement("INSERT INTO secrets (install_id, name, sealed, updated_at)"
                        + " VALUES ('install-1', 'token.access', ?, CURRENT_TIMESTAMP)");
                insert.setBytes(1, sealed);
                return insert.executeUpdate();
            });
            Path key = dataDir.resolve("vault.key");
            assertThat(key.toFile().delete()).isTrue();

            assertThatThrownBy(() -> SecretVault.open(dataDir, () -> SealedValues.count(database)))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("the vault key " + key + " is missing, but the database holds 1 secret sealed with it;"
                            + " restore that file from a backup (Latchkey makes no new key over sealed secrets,"
                            + " which only the old key opens)");
            assertThat(key).doesNotExist();
        }
    }

    @Test
    void a_missing_key_beside_a_database_without_secrets_is_made_anew() {
        try (Database database = Database.open(dataDir)) {
            SecretVault.open(dataDir, () -> SealedValues.count(database));

            assertThat(dataDir.resolve("vault.key")).exists();
        }
    }
}
