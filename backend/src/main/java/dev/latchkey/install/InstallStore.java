package dev.latchkey.install;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Installs, their settings, connections and secrets in the database: the one place that knows
 * their tables (with {@link SecretRows}, {@link ConfigRows} and {@link ConnectionRows} for three of them). Every change is
 * one transaction that also writes its audit row, so the log and the data never disagree; the
 * row's time comes from the same {@link Clock} as the services' timestamps. Text a person reads
 * ({@code status_reason}, audit details) is cut to what its column holds, never refused.
 */
public final class InstallStore {

    private static final String SELECT_INSTALLS = """
            SELECT i.id, i.catalog_name, i.display_name, i.auth_method, i.status, i.status_reason,
                   i.created_at, i.updated_at, i.network, i.sandboxed, c.provider, c.account_label
              FROM installs i LEFT JOIN connections c ON c.install_id = i.id
            """;

    /** The size of {@code installs.status_reason} and {@code audit_log.detail} (V1). */
    static final int TEXT_COLUMN = 1000;

    /** What became of a {@link #transition}. */
    public enum Moved { APPLIED, WRONG_STATUS, CREDENTIALS_CHANGED, NOT_FOUND }

    private final Database database;
    private final SecretRows secrets;
    private final ConfigRows config;
    private final ConnectionRows connections;
    private final Clock clock;

    public InstallStore(Database database, SecretVault vault, ObjectMapper json, Clock clock) {
        this.database = database;
        this.secrets = new SecretRows(vault);
        this.config = new ConfigRows(json);
        this.connections = new ConnectionRows(secrets);
        this.clock = clock;
    }

    /** Stores a new install with its plain settings and its sealed sensitive settings. */
    public void insert(Install install, Map<String, Object> plain, Map<String, String> sensitive) {
        insert(install, plain, sensitive, BesideRows.NONE);
    }

    /** As {@link #insert(Install, Map, Map)}, with {@code beside}'s rows in the same transaction. */
    public void insert(Install install, Map<String, Object> plain, Map<String, String> sensitive, BesideRows beside) {
        database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO installs (id, catalog_name, display_name, auth_method, status, status_reason,
                                          created_at, updated_at, network)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, install.id());
                insert.setString(2, install.catalogName());
                insert.setString(3, install.displayName());
                insert.setString(4, install.auth().wireName());
                insert.setString(5, install.status().wireName());
                insert.setString(6, cut(install.statusReason()));
                insert.setTimestamp(7, Timestamp.from(install.createdAt()));
                insert.setTimestamp(8, Timestamp.from(install.updatedAt()));
                insert.setBoolean(9, install.network());
                insert.executeUpdate();
            }
            config.insert(connection, install.id(), plain, sensitive);
            secrets.insert(connection, install.id(), SecretRows.USER_CONFIG, sensitive, install.createdAt());
            beside.write(connection, install.id());
            audit(connection, install.id(), "installed", install.catalogName() + " with auth " + install.auth().wireName());
            return null;
        });
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

    /**
     * Moves an install to {@code change.to()} only while its status is one of {@code change.from()}
     * ({@code UPDATE … WHERE status IN (…)}) and, when the change carries tested credentials, only
     * while those are still the stored ones.
     */
    public Moved transition(String id, Transition change) {
        Instant at = clock.instant();
        return database.inTransaction(connection -> {
            if (change.tested() != null && !secrets.credentialsStill(connection, id, change.tested())) {
                return exists(connection, id) ? Moved.CREDENTIALS_CHANGED : Moved.NOT_FOUND;
            }
            String in = String.join(", ", change.from().stream().map(status -> "?").toList());
            int changed;
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE installs SET status = ?, status_reason = ?, updated_at = ? WHERE id = ? AND status IN ("
                            + (in.isEmpty() ? "NULL" : in) + ")")) {
                update.setString(1, change.to().wireName());
                update.setString(2, cut(change.reason()));
                update.setTimestamp(3, Timestamp.from(at));
                update.setString(4, id);
                int next = 5;
                for (InstallStatus from : change.from()) {
                    update.setString(next++, from.wireName());
                }
                changed = update.executeUpdate();
            }
            if (changed == 0) {
                return exists(connection, id) ? Moved.WRONG_STATUS : Moved.NOT_FOUND;
            }
            audit(connection, id, "status", change.to().wireName());
            return Moved.APPLIED;
        });
    }

    /** Changes only the reason an install shows, whatever its status; false when there is no such install. */
    public boolean note(String id, String reason) {
        Instant at = clock.instant();
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE installs SET status_reason = ?, updated_at = ? WHERE id = ?")) {
                update.setString(1, cut(reason));
                update.setTimestamp(2, Timestamp.from(at));
                update.setString(3, id);
                return update.executeUpdate() > 0;
            }
        });
    }

    /** Records whether the install's server starts confined (V8's {@code sandboxed}); no audit row, no status change. */
    public void sandboxed(String id, boolean sandboxed) {
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE installs SET sandboxed = ? WHERE id = ?")) {
                update.setBoolean(1, sandboxed);
                update.setString(2, id);
                return update.executeUpdate();
            }
        });
    }

    private static boolean exists(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM installs WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
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
            if (!secrets.credentialsStill(connection, id, expected)) {
                return false;
            }
            writeCredentials(connection, id, credentials, event);
            return true;
        });
    }

    private void writeCredentials(Connection connection, String id, Credentials credentials, String event)
            throws SQLException {
        connections.write(connection, id, credentials, clock.instant());
        audit(connection, id, event, credentials.provider() + " by " + credentials.method().wireName());
    }

    /** The install's connection with its credentials opened; empty when it has none. */
    public Optional<Credentials> credentials(String id) {
        return database.inTransaction(connection -> connections.read(connection, id));
    }

    /**
     * The installs connected by OAuth whose access token ends by {@code horizon}, soonest first,
     * except those already waiting for a person to sign in again.
     */
    public List<String> oauthExpiringBy(Instant horizon) {
        return database.inTransaction(connection -> connections.oauthExpiringBy(connection, horizon));
    }

    /** The install's settings with sensitive values opened: for building its launch spec, never for the UI. */
    public Map<String, Object> openConfig(String id) {
        return database.inTransaction(connection -> {
            Map<String, Object> values = config.plain(connection, id);
            values.putAll(secrets.open(connection, id, SecretRows.USER_CONFIG));
            return values;
        });
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
                config.masked(connection, id),
                row.getTimestamp("created_at").toInstant(),
                row.getTimestamp("updated_at").toInstant(),
                row.getBoolean("network"),
                (Boolean) row.getObject("sandboxed"));
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
        AuditLog.write(connection, clock.instant(), installId, event, cut(detail));
    }

    /** {@code text} as it fits a {@value #TEXT_COLUMN}-character column: longer text ends in "…" at the limit. */
    static String cut(String text) {
        if (text == null || text.length() <= TEXT_COLUMN) {
            return text;
        }
        int end = TEXT_COLUMN - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
