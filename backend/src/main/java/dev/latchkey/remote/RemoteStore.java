package dev.latchkey.remote;

import dev.latchkey.install.BesideRows;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

/**
 * The {@code remote_servers} and {@code remote_clients} tables (V9): which installs are remote
 * servers and where, the grant each holds (issuer, resource, account, scope), and the clients
 * registered per authorization server, their secrets sealed by the vault.
 */
public final class RemoteStore implements RegisteredClients {

    /** What is known of an install's remote server. */
    public record Server(String installId, URI url, String issuer, String resource, String account, String scope) {
    }

    private static final String SECRET = "remote.client_secret";

    private final Database database;
    private final SecretVault vault;
    private final Clock clock;

    public RemoteStore(Database database, SecretVault vault, Clock clock) {
        this.database = database;
        this.vault = vault;
        this.clock = clock;
    }

    /** The {@code remote_servers} row of a new install, written in the install's own transaction. */
    BesideRows row(URI url) {
        return (connection, installId) -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO remote_servers (install_id, url) VALUES (?, ?)")) {
                insert.setString(1, installId);
                insert.setString(2, url.toString());
                insert.executeUpdate();
            }
        };
    }

    /** The remote server of an install; empty for a local one. */
    public Optional<Server> find(String installId) {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT url, issuer, resource, account, scope FROM remote_servers WHERE install_id = ?")) {
                select.setString(1, installId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(new Server(installId, URI.create(row.getString(1)), row.getString(2),
                            row.getString(3), row.getString(4), row.getString(5))) : Optional.<Server>empty();
                }
            }
        });
    }

    public boolean isRemote(String installId) {
        return find(installId).isPresent();
    }

    /** Where a sign-in goes (set when it starts) and, once it finished, as whom. */
    void grant(String installId, String issuer, String resource, String scope, String account) {
        update("UPDATE remote_servers SET issuer = ?, resource = ?, scope = ?, account = ? WHERE install_id = ?",
                issuer, resource, scope, account, installId);
    }

    @Override
    public Optional<RemoteClient> find(URI issuer) {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT client_id, auth_method, sealed_secret FROM remote_clients WHERE issuer = ?")) {
                select.setString(1, issuer.toString());
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.<RemoteClient>empty();
                    }
                    byte[] sealed = row.getBytes(3);
                    String secret = sealed == null ? null : vault.open(owner(issuer), SECRET, sealed);
                    return Optional.of(new RemoteClient(row.getString(1), secret, row.getString(2)));
                }
            }
        });
    }

    @Override
    public void save(URI issuer, RemoteClient client) {
        database.inTransaction(connection -> {
            try (PreparedStatement merge = connection.prepareStatement("""
                    MERGE INTO remote_clients (issuer, client_id, auth_method, sealed_secret, created_at)
                    KEY (issuer) VALUES (?, ?, ?, ?, ?)""")) {
                merge.setString(1, issuer.toString());
                merge.setString(2, client.clientId());
                merge.setString(3, client.authMethod());
                merge.setBytes(4, client.clientSecret() == null ? null : vault.seal(owner(issuer), SECRET, client.clientSecret()));
                merge.setTimestamp(5, Timestamp.from(clock.instant()));
                merge.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void forget(URI issuer) {
        update("DELETE FROM remote_clients WHERE issuer = ?", issuer.toString());
    }

    /** The vault's owner of an issuer's client secret: bound into the seal, so it opens for that issuer only. */
    private static String owner(URI issuer) {
        return "issuer:" + issuer;
    }

    private void update(String sql, String... values) {
        database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    statement.setString(i + 1, values[i]);
                }
                statement.executeUpdate();
            }
            return null;
        });
    }
}
