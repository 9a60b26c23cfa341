package dev.latchkey.install;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rows another package writes with a new install, inside the install's own transaction, so both
 * are stored or neither: a remote server's {@code remote_servers} row, which an install without
 * would leave a server Latchkey cannot reach or uninstall cleanly.
 */
@FunctionalInterface
public interface BesideRows {

    BesideRows NONE = (connection, installId) -> { };

    void write(Connection connection, String installId) throws SQLException;
}
