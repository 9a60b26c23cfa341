package dev.latchkey.install;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code connections} rows of installs with their credential secrets; inside a transaction of {@link InstallStore}. */
final class ConnectionRows {

    private final SecretRows secrets;

    ConnectionRows(SecretRows secrets) {
        this.secrets = secrets;
    }

    /** Replaces the connection, the install's auth method and its credential secrets. */
    void write(Connection connection, String id, Credentials credentials, Instant at) throws SQLException {
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
        secrets.delete(connection, id, SecretRows.CREDENTIAL);
        secrets.insert(connection, id, SecretRows.CREDENTIAL, credentials.values(), at);
    }

    Optional<Credentials> read(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT provider, method, account_label, expires_at FROM connections WHERE install_id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Timestamp expires = row.getTimestamp("expires_at");
                return Optional.of(new Credentials(row.getString("provider"),
                        AuthMethod.parse(row.getString("method")), secrets.open(connection, id, SecretRows.CREDENTIAL),
                        expires == null ? null : expires.toInstant(), row.getString("account_label")));
            }
        }
    }

    List<String> oauthExpiringBy(Connection connection, Instant horizon) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT c.install_id FROM connections c JOIN installs i ON i.id = c.install_id
                 WHERE c.method = 'oauth' AND c.expires_at IS NOT NULL AND c.expires_at <= ?
                   AND i.status <> 'needs_reauth'
                 ORDER BY c.expires_at""")) {
            select.setTimestamp(1, Timestamp.from(horizon));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }
}
