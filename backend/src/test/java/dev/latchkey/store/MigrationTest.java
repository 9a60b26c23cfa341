package dev.latchkey.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationTest {

    @TempDir
    Path dataDir;

    @Test
    void migrates_an_empty_h2_file_to_every_table_of_the_schema() {
        try (Database database = Database.open(dataDir)) {
            List<String> tables = database.inTransaction(connection -> tables(connection));
            assertThat(tables).containsExactlyInAnyOrder("AUDIT_LOG", "CONNECTIONS", "INSTALLS", "INSTALL_CONFIG",
                    "PENDING_OAUTH_FLOWS", "SECRETS", "MCP_CLIENTS", "MCP_CLIENT_INSTALLS", "REMOTE_SERVERS", "REMOTE_CLIENTS", "flyway_schema_history");
        }
        assertThat(dataDir.resolve("latchkey.mv.db")).exists();
    }

    @Test
    void an_install_has_the_network_unless_stored_otherwise_and_no_sandboxed_until_it_starts() {
        try (Database database = Database.open(dataDir)) {
            database.inTransaction(connection -> connection.createStatement().executeUpdate("""
                    INSERT INTO installs (id, catalog_name, display_name, auth_method, status, created_at, updated_at)
                    VALUES ('i-1', 'acme', 'Acme', 'none', 'stopped', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"""));
            List<String> row = database.inTransaction(connection -> {
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT network, sandboxed FROM installs")) {
                    rows.next();
                    return List.of(String.valueOf(rows.getObject(1)), String.valueOf(rows.getObject(2)));
                }
            });
            assertThat(row).containsExactly("true", "null");
        }
    }

    @Test
    void reopening_a_migrated_database_applies_nothing_twice_and_keeps_its_rows() {
        String applied = "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'";
        int versions;
        try (Database database = Database.open(dataDir)) {
            versions = database.inTransaction(connection -> count(connection, applied));
            database.inTransaction(connection -> connection.createStatement().executeUpdate(
                    "INSERT INTO audit_log (at, event) VALUES (CURRENT_TIMESTAMP, 'kept')"));
        }
        try (Database database = Database.open(dataDir)) {
            int rows = database.inTransaction(connection -> count(connection, "SELECT COUNT(*) FROM audit_log WHERE event = 'kept'"));
            assertThat(versions).isGreaterThanOrEqualTo(2);
            int reopened = database.inTransaction(connection -> count(connection, applied));
            assertThat(reopened).isEqualTo(versions);
            assertThat(rows).isEqualTo(1);
        }
    }

    @Test
    void the_schema_refuses_an_unknown_install_status() {
        try (Database database = Database.open(dataDir)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> database.inTransaction(connection ->
                    connection.createStatement().executeUpdate("""
                            INSERT INTO installs (id, catalog_name, display_name, auth_method, status, created_at, updated_at)
                            VALUES ('x', 'c', 'C', 'none', 'dancing', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("INSTALLS_STATUS");
        }
    }

    @Test
    void the_schema_takes_every_install_status_the_code_knows() {
        try (Database database = Database.open(dataDir)) {
            for (dev.latchkey.install.InstallStatus status : dev.latchkey.install.InstallStatus.values()) {
                database.inTransaction(connection -> connection.createStatement().executeUpdate("""
                        INSERT INTO installs (id, catalog_name, display_name, auth_method, status, created_at, updated_at)
                        VALUES ('%s', 'c', 'C', 'none', '%s', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"""
                        .formatted(status.wireName(), status.wireName())));
            }
            int stored = database.inTransaction(connection -> count(connection, "SELECT COUNT(*) FROM installs"));
            assertThat(stored).isEqualTo(dev.latchkey.install.InstallStatus.values().length);
        }
    }

    private static List<String> tables(Connection connection) throws java.sql.SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rows = connection.createStatement().executeQuery(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static int count(Connection connection, String sql) throws java.sql.SQLException {
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
