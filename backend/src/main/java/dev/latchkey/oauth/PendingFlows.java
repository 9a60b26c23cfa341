package dev.latchkey.oauth;

import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code pending_oauth_flows} table: the state kept only as its SHA-256 hash, the PKCE
 * verifier sealed by the vault (bound to the install), and {@link #take} deleting the row it
 * reads in the same transaction, so a state works once.
 */
public final class PendingFlows {

    /** The vault name the verifier is sealed under; the install id is the owner. */
    private static final String VERIFIER = "oauth.verifier";

    private final Database database;
    private final SecretVault vault;

    public PendingFlows(Database database, SecretVault vault) {
        this.database = database;
        this.vault = vault;
    }

    /** Stores a new flow for {@code state}; an install has at most one: an older one is dropped. */
    void insert(String state, PendingFlow flow) {
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM pending_oauth_flows WHERE install_id = ?")) {
                delete.setString(1, flow.installId());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO pending_oauth_flows (state_hash, install_id, provider, redirect_uri, sealed_verifier,
                                                     created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, FlowState.hash(state));
                insert.setString(2, flow.installId());
                insert.setString(3, flow.provider());
                insert.setString(4, flow.redirectUri().toString());
                insert.setBytes(5, vault.seal(flow.installId(), VERIFIER, flow.pkce().verifier()));
                insert.setTimestamp(6, Timestamp.from(flow.createdAt()));
                insert.setTimestamp(7, Timestamp.from(flow.expiresAt()));
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** The flow of {@code state}, removed as it is read: a second call with the same state finds nothing. */
    Optional<PendingFlow> take(String state) {
        String hash = FlowState.hash(state);
        return database.inTransaction(connection -> {
            PendingFlow flow;
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT install_id, provider, redirect_uri, sealed_verifier, created_at, expires_at
                      FROM pending_oauth_flows WHERE state_hash = ? FOR UPDATE""")) {
                select.setString(1, hash);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    String installId = row.getString(1);
                    flow = new PendingFlow(installId, row.getString(2), URI.create(row.getString(3)),
                            new Pkce(vault.open(installId, VERIFIER, row.getBytes(4))),
                            row.getTimestamp(5).toInstant(), row.getTimestamp(6).toInstant());
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM pending_oauth_flows WHERE state_hash = ?")) {
                delete.setString(1, hash);
                if (delete.executeUpdate() != 1) {
                    // Another callback took it between our read and delete: it is theirs.
                    return Optional.empty();
                }
            }
            return Optional.of(flow);
        });
    }

    /** Removes the install's waiting flows (it switched to browser login): their callbacks then find no state. */
    int removeFor(String installId) {
        return database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM pending_oauth_flows WHERE install_id = ?")) {
                delete.setString(1, installId);
                return delete.executeUpdate();
            }
        });
    }

    /** Removes every flow that expired by {@code now}; answers their install ids. */
    List<String> removeExpired(Instant now) {
        return database.inTransaction(connection -> {
            List<String> installs = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT install_id FROM pending_oauth_flows WHERE expires_at <= ?")) {
                select.setTimestamp(1, Timestamp.from(now));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        installs.add(rows.getString(1));
                    }
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM pending_oauth_flows WHERE expires_at <= ?")) {
                delete.setTimestamp(1, Timestamp.from(now));
                delete.executeUpdate();
            }
            return installs;
        });
    }

    /** Whether the install has a flow that is still waiting. */
    boolean isWaiting(String installId, Instant now) {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT 1 FROM pending_oauth_flows WHERE install_id = ? AND expires_at > ?")) {
                select.setString(1, installId);
                select.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }
}
