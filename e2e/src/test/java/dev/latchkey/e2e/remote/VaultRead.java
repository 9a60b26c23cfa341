package dev.latchkey.e2e.remote;

import dev.latchkey.store.SecretVault;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** An install's credential, opened from the running app's H2 file with its vault key, as the app does. */
final class VaultRead {

    private VaultRead() {
    }

    /** The credential {@code name} ({@code accessToken}, {@code refreshToken}) of an install; null when there is none. */
    static String credential(Path dataDir, String installId, String name) {
        String secret = "credential." + name;
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:"
                + dataDir.toAbsolutePath().resolve("latchkey") + ";DB_CLOSE_ON_EXIT=FALSE", "latchkey", "");
             PreparedStatement select = connection.prepareStatement("SELECT sealed FROM secrets WHERE install_id = ? AND name = ?")) {
            select.setString(1, installId);
            select.setString(2, secret);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? SecretVault.open(dataDir).open(installId, secret, row.getBytes(1)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
