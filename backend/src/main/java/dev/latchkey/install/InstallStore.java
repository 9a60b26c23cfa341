package dev.latchkey.install;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import dev.latchkey.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Installs, their settings and their secrets in the database. Every change is one transaction
 * that also writes its audit row, so the log and the data never disagree; the row's time comes
 * from the same {@link Clock} as the services' timestamps.
 */
public final class InstallStore {

    private static final String SELECT_INSTALLS = """
            SELECT i.id, i.catalog_name, i.display_name, i.auth_method, i.status, i.status_reason,
                   i.created_at, i.updated_at, c.provider, c.account_label
              FROM installs i LEFT JOIN connections c ON c.install_id = i.id
            """;

    /** Secret names: a sensitive setting is {@code user_config.<key>}, a credential {@code credential.<value>}. */
    private static final String USER_CONFIG = "user_config.";
    private static final String CREDENTIAL = "credential.";

    private final Database database;
    private final SecretVault vault;
    private final ObjectMapper json;
    private final Clock clock;

    public InstallStore(Database database, SecretVault vault, ObjectMapper json, Clock clock) {
        this.database = database;
        this.vault = vault;
        this.json = json;
        this.clock = clock;
    }

    /** Stores a new install with its plain settings and its sealed sensitive settings. */
    public void insert(Install install, Map<String, Object> plain, Map<String, String> sensitive) {
        database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO installs (id, catalog_name, display_name, auth_method, status, status_reason,
                                          created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, install.id());
                insert.setString(2, install.catalogName());
                insert.setString(3, install.displayName());
                insert.setString(4, install.auth().wireName());
                insert.setString(5, install.status().wireName());
                insert.setString(6, install.statusReason());
                insert.setTimestamp(7, Timestamp.from(install.createdAt()));
                insert.setTimestamp(8, Timestamp.from(install.updatedAt()));
                insert.executeUpdate();
            }
            insertConfig(connection, install.id(), plain, sensitive);
            insertSecrets(connection, install.id(), USER_CONFIG, sensitive, install.createdAt());
            audit(connection, install.id(), "installed", install.catalogName() + " with auth " + install.auth().wireName());
            return null;
        });
    }

    private void insertConfig(Connection connection, String id, Map<String, Object> plain,
            Map<String, String> sensitive) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO install_config (install_id, config_key, value_json, sensitive) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, Object> entry : plain.entrySet()) {
                insert.setString(1, id);
                insert.setString(2, entry.getKey());
                insert.setString(3, toJson(entry.getValue()));
                insert.setBoolean(4, false);
                insert.addBatch();
            }
            for (String key : sensitive.keySet()) {
                insert.setString(1, id);
                insert.setString(2, key);
                insert.setString(3, null);
                insert.setBoolean(4, true);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Seals and stores {@code values}, each named {@code prefix + key}. */
    private void insertSecrets(Connection connection, String id, String prefix, Map<String, String> values, Instant at)
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

    /** Every install, newest first, with sensitive settings masked. */
    public List<Install> list() {
        return database.inTransaction(connection -> {
            List<Install> installs = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    SELECT_INSTALLS + " ORDER BY i.created_at DESC, i.id");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    installs.add(install(connection, rows));
                }
            }
            return installs;
        });
    }

    public Optional<Install> find(String id) {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(SELECT_INSTALLS + " WHERE i.id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(install(connection, rows)) : Optional.empty();
                }
            }
        });
    }

    /** Removes an install with its settings, connection, secrets and pending flows; false when there was none. */
    public boolean delete(String id) {
        return database.inTransaction(connection -> {
            int removed;
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM installs WHERE id = ?")) {
                delete.setString(1, id);
                removed = delete.executeUpdate();
            }
            if (removed > 0) {
                audit(connection, id, "uninstalled", null);
            }
            return removed > 0;
        });
    }

    /** Moves an install to {@code status} with a reason a person can read; false when there is no such install. */
    public boolean updateStatus(String id, InstallStatus status, String reason) {
        Instant at = clock.instant();
        return database.inTransaction(connection -> {
            int changed;
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE installs SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?")) {
                update.setString(1, status.wireName());
                update.setString(2, reason);
                update.setTimestamp(3, Timestamp.from(at));
                update.setString(4, id);
                changed = update.executeUpdate();
            }
            if (changed > 0) {
                audit(connection, id, "status", status.wireName());
            }
            return changed > 0;
        });
    }

    /**
     * Replaces an install's connection and credential secrets in one transaction: the old values
     * are gone only when the new ones are stored. {@code event} names the audit row (never a value).
     */
    public void saveCredentials(String id, Credentials credentials, String event) {
        database.inTransaction(connection -> {
            writeCredentials(connection, id, credentials, event);
            return null;
        });
    }

    /**
     * Stores new credentials only while the stored ones are still {@code expected}, in one
     * transaction that holds the connection's row: a refresh that began from tokens a sign-in has
     * since replaced must not put its older grant back. False when they had changed.
     */
    public boolean replaceCredentials(String id, Credentials expected, Credentials credentials, String event) {
        return database.inTransaction(connection -> {
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT provider FROM connections WHERE install_id = ? FOR UPDATE")) {
                lock.setString(1, id);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next() || !openSecrets(connection, id, CREDENTIAL).equals(expected.values())) {
                        return false;
                    }
                }
            }
            writeCredentials(connection, id, credentials, event);
            return true;
        });
    }

    private void writeCredentials(Connection connection, String id, Credentials credentials, String event)
            throws SQLException {
        Instant at = clock.instant();
        try (PreparedStatement merge = connection.prepareStatement("""
                MERGE INTO connections (install_id, provider, method, account_label, status, expires_at, updated_at)
                KEY (install_id) VALUES (?, ?, ?, ?, 'connected', ?, ?)""")) {
            merge.setString(1, id);
            merge.setString(2, credentials.provider());
            merge.setString(3, credentials.method().wireName());
            merge.setString(4, credentials.accountLabel());
            merge.setTimestamp(5, credentials.expiresAt() == null ? null : Timestamp.from(credentials.expiresAt()));
            merge.setTimestamp(6, Timestamp.from(at));
            merge.executeUpdate();
        }
        try (PreparedStatement method = connection.prepareStatement(
                "UPDATE installs SET auth_method = ?, updated_at = ? WHERE id = ?")) {
            // The install is connected the way its credentials came: a switch changes both at once.
            method.setString(1, credentials.method().wireName());
            method.setTimestamp(2, Timestamp.from(at));
            method.setString(3, id);
            method.executeUpdate();
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM secrets WHERE install_id = ? AND LEFT(name, ?) = ?")) {
            delete.setString(1, id);
            delete.setInt(2, CREDENTIAL.length());
            delete.setString(3, CREDENTIAL);
            delete.executeUpdate();
        }
        insertSecrets(connection, id, CREDENTIAL, credentials.values(), at);
        audit(connection, id, event, credentials.provider() + " by " + credentials.method().wireName());
    }

    /** The install's connection with its credentials opened; empty when it has none. */
    public Optional<Credentials> credentials(String id) {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT provider, method, account_label, expires_at FROM connections WHERE install_id = ?")) {
                select.setString(1, id);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    Timestamp expires = row.getTimestamp("expires_at");
                    return Optional.of(new Credentials(row.getString("provider"),
                            AuthMethod.parse(row.getString("method")), openSecrets(connection, id, CREDENTIAL),
                            expires == null ? null : expires.toInstant(), row.getString("account_label")));
                }
            }
        });
    }

    /** The install's settings with sensitive values opened: for building its launch spec, never for the UI. */
    public Map<String, Object> openConfig(String id) {
        return database.inTransaction(connection -> {
            Map<String, Object> config = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT config_key, value_json FROM install_config WHERE install_id = ? AND NOT sensitive")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        config.put(rows.getString(1), fromJson(rows.getString(2)));
                    }
                }
            }
            config.putAll(openSecrets(connection, id, USER_CONFIG));
            return config;
        });
    }

    private Map<String, String> openSecrets(Connection connection, String id, String prefix) throws SQLException {
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

    private Install install(Connection connection, ResultSet row) throws SQLException {
        String id = row.getString("id");
        return new Install(
                id,
                row.getString("catalog_name"),
                row.getString("display_name"),
                AuthMethod.parse(row.getString("auth_method")),
                row.getString("provider"),
                InstallStatus.fromWire(row.getString("status")),
                row.getString("status_reason"),
                row.getString("account_label"),
                maskedConfig(connection, id),
                row.getTimestamp("created_at").toInstant(),
                row.getTimestamp("updated_at").toInstant());
    }

    private Map<String, Object> maskedConfig(Connection connection, String id) throws SQLException {
        Map<String, Object> config = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT config_key, value_json, sensitive FROM install_config WHERE install_id = ? ORDER BY config_key")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    config.put(rows.getString(1), rows.getBoolean(3) ? Install.MASK : fromJson(rows.getString(2)));
                }
            }
        }
        return config;
    }

    /**
     * Writes one audit row on its own: for what happened without a change to the data (a refused
     * callback, a failed refresh, a revocation). {@code detail} is never a secret; a refusal
     * repeated within the hour joins its row ({@link AuditLog}).
     */
    public void audit(String installId, String event, String detail) {
        database.inTransaction(connection -> {
            audit(connection, installId, event, detail);
            return null;
        });
    }

    private void audit(Connection connection, String installId, String event, String detail)
            throws SQLException {
        AuditLog.write(connection, clock.instant(), installId, event, detail);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot store a setting as JSON: " + e.getOriginalMessage());
        }
    }

    private Object fromJson(String text) {
        try {
            return json.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored setting is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
