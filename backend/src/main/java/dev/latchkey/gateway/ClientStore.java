package dev.latchkey.gateway;

import dev.latchkey.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gateway's clients in the database (tables {@code mcp_clients}, {@code mcp_client_installs},
 * migration V6). Every change that matters to the user also writes its audit row in the same
 * transaction; a token is only ever stored as its hash.
 */
final class ClientStore {

    private static final String COLUMNS =
            "id, name, kind, all_installs, created_at, revoked_at, last_call_at, call_count";

    private final Database database;
    private final Clock clock;

    ClientStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    void insert(GatewayClient client, String tokenHash) {
        database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mcp_clients (id, name, kind, "
                    + "token_hash, all_installs, created_at, call_count) VALUES (?, ?, ?, ?, ?, ?, 0)")) {
                insert.setString(1, client.id());
                insert.setString(2, client.name());
                insert.setString(3, client.kind());
                insert.setString(4, tokenHash);
                insert.setBoolean(5, client.allInstalls());
                insert.setTimestamp(6, Timestamp.from(client.createdAt()));
                insert.executeUpdate();
            }
            writeInstalls(connection, client.id(), client.installIds());
            audit(connection, client.id(), null, "client_added", client.name());
            return null;
        });
    }

    /** Every client, revoked ones too, newest first. */
    List<GatewayClient> list() {
        return database.inTransaction(connection -> select(connection, "ORDER BY created_at DESC, id", null));
    }

    Optional<GatewayClient> find(String id) {
        return database.inTransaction(connection -> select(connection, "WHERE id = ?", id).stream().findFirst());
    }

    Optional<GatewayClient> findByTokenHash(String tokenHash) {
        return database.inTransaction(connection ->
                select(connection, "WHERE token_hash = ?", tokenHash).stream().findFirst());
    }

    /** The newest client of a kind that is not revoked. */
    Optional<GatewayClient> findActiveByKind(String kind) {
        return database.inTransaction(connection -> select(connection,
                "WHERE kind = ? AND revoked_at IS NULL ORDER BY created_at DESC", kind).stream().findFirst());
    }

    boolean revoke(String id) {
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE mcp_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                update.setTimestamp(1, Timestamp.from(clock.instant()));
                update.setString(2, id);
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            audit(connection, id, null, "client_revoked", null);
            return true;
        });
    }

    boolean limit(String id, boolean allInstalls, Set<String> installIds) {
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE mcp_clients SET all_installs = ? WHERE id = ?")) {
                update.setBoolean(1, allInstalls);
                update.setString(2, id);
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM mcp_client_installs WHERE client_id = ?")) {
                delete.setString(1, id);
                delete.executeUpdate();
            }
            writeInstalls(connection, id, installIds);
            audit(connection, id, null, "client_limited", allInstalls ? "all installs" : installIds.size() + " installs");
            return true;
        });
    }

    void replaceToken(String id, String tokenHash) {
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE mcp_clients SET token_hash = ? WHERE id = ?")) {
                update.setString(1, tokenHash);
                update.setString(2, id);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** Counts tools/calls and writes one audit row each (client, install, tool, never arguments or results), in one transaction. */
    void recordCalls(List<CallLog.Call> calls) {
        if (calls.isEmpty()) {
            return;
        }
        Map<String, List<CallLog.Call>> byClient = calls.stream().collect(Collectors.groupingBy(CallLog.Call::clientId));
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE mcp_clients SET call_count = call_count + ?, last_call_at = ? WHERE id = ?")) {
                for (Map.Entry<String, List<CallLog.Call>> client : byClient.entrySet()) {
                    Timestamp last = Timestamp.from(client.getValue().stream().map(CallLog.Call::at)
                            .max(Comparator.naturalOrder()).orElseThrow());
                    update.setLong(1, client.getValue().size());
                    update.setTimestamp(2, last);
                    update.setString(3, client.getKey());
                    update.addBatch();
                }
                update.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO audit_log (at, client_id, install_id, event, detail) VALUES (?, ?, ?, 'tool_call', ?)")) {
                for (CallLog.Call call : calls) {
                    insert.setTimestamp(1, Timestamp.from(call.at()));
                    insert.setString(2, call.clientId());
                    insert.setString(3, call.installId());
                    insert.setString(4, call.tool());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    private static void writeInstalls(Connection connection, String clientId, Set<String> installIds)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO mcp_client_installs (client_id, install_id) VALUES (?, ?)")) {
            for (String installId : installIds) {
                insert.setString(1, clientId);
                insert.setString(2, installId);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private List<GatewayClient> select(Connection connection, String where, String parameter) throws SQLException {
        List<GatewayClient> clients = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM mcp_clients " + where)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    clients.add(client(connection, rows));
                }
            }
        }
        return clients;
    }

    private static GatewayClient client(Connection connection, ResultSet row) throws SQLException {
        String id = row.getString("id");
        return new GatewayClient(id, row.getString("name"), row.getString("kind"), row.getBoolean("all_installs"),
                installs(connection, id), instant(row, "created_at"), instant(row, "revoked_at"),
                instant(row, "last_call_at"), row.getLong("call_count"));
    }

    private static Set<String> installs(Connection connection, String clientId) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT install_id FROM mcp_client_installs WHERE client_id = ?")) {
            select.setString(1, clientId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private void audit(Connection connection, String clientId, String installId, String event, String detail)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_log (at, client_id, install_id, event, detail) VALUES (?, ?, ?, ?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(clock.instant()));
            insert.setString(2, clientId);
            insert.setString(3, installId);
            insert.setString(4, event);
            insert.setString(5, detail);
            insert.executeUpdate();
        }
    }
}
