package dev.latchkey.install;

import dev.latchkey.store.SecretVault;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code secrets} rows of installs, sealed and opened with the vault; inside a transaction of
 * {@link InstallStore}. A sensitive setting is named {@code user_config.<key>}, a credential
 * {@code credential.<value>}.
 */
final class SecretRows {

    static final String USER_CONFIG = "user_config.";
    static final String CREDENTIAL = "credential.";

    private final SecretVault vault;

    SecretRows(SecretVault vault) {
        this.vault = vault;
    }

    /** Seals and stores {@code values}, each named {@code prefix + key}. */
    void insert(Connection connection, String id, String prefix, Map<String, String> values, Instant at)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO secrets (install_id, name, sealed, updated_at) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, String> entry : values.entrySet()) {
                String name = prefix + entry.getKey();
                insert.setString(1, id);
                insert.setString(2, name);
                insert.setBytes(3, vault.seal(id, name, entry.getValue()));
                insert.setTimestamp(4, Timestamp.from(at));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    void delete(Connection connection, String id, String prefix) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM secrets WHERE install_id = ? AND LEFT(name, ?) = ?")) {
            delete.setString(1, id);
            delete.setInt(2, prefix.length());
            delete.setString(3, prefix);
            delete.executeUpdate();
        }
    }

    /** The opened values named {@code prefix…}, keyed without the prefix, in name order. */
    Map<String, String> open(Connection connection, String id, String prefix) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name, sealed FROM secrets WHERE install_id = ? AND LEFT(name, ?) = ? ORDER BY name")) {
            select.setString(1, id);
            select.setInt(2, prefix.length());
            select.setString(3, prefix);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    values.put(name.substring(prefix.length()), vault.open(id, name, rows.getBytes(2)));
                }
            }
        }
        return values;
    }

    /**
     * Whether the install's stored credentials are still {@code expected}, holding its connection's
     * row until the transaction ends, so that no sign-in replaces them meanwhile.
     */
    boolean credentialsStill(Connection connection, String id, Credentials expected) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT provider FROM connections WHERE install_id = ? FOR UPDATE")) {
            lock.setString(1, id);
            try (ResultSet row = lock.executeQuery()) {
                return row.next() && row.getString(1).equals(expected.provider())
                        && open(connection, id, CREDENTIAL).equals(expected.values());
            }
        }
    }
}
