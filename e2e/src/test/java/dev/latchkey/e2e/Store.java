package dev.latchkey.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The running app's H2 database, opened in the same JVM under the same URL (so H2 shares the one
 * open database): for reading what the app stored and for ageing a flow.
 */
final class Store {

    private final String url;

    Store(Path dataDir) {
        this.url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("latchkey") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Each row of {@code sql} as its columns joined by {@code |}. */
    List<String> rows(String sql, Object... args) {
        try (Connection connection = DriverManager.getConnection(url, "latchkey", "");
             PreparedStatement statement = prepare(connection, sql, args);
             ResultSet rows = statement.executeQuery()) {
            List<String> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(String.valueOf(rows.getObject(i)));
                }
                result.add(String.join("|", values));
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    int update(String sql, Object... args) {
        try (Connection connection = DriverManager.getConnection(url, "latchkey", "");
             PreparedStatement statement = prepare(connection, sql, args)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The audit rows of one install, oldest first, as {@code event|detail}. */
    List<String> audit(String installId) {
        return rows("SELECT event, detail FROM audit_log WHERE install_id = ? ORDER BY id", installId);
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            statement.setObject(i + 1, arg instanceof Instant instant ? Timestamp.from(instant) : arg);
        }
        return statement;
    }
}
