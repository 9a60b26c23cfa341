package dev.latchkey.install;

import dev.latchkey.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The audit log ({@code audit_log}): one row per thing that happened, never a secret, kept bounded.
 *
 * <p>Refusals ({@code *_refused} events: anyone on the machine can send a callback with a made-up
 * state, as often as they like) are coalesced: one row per (install, event, detail) per
 * {@link #WINDOW}, its {@code repeats} counting them and {@code last_at} the newest. Every other
 * event is one row each. {@link #prune} drops rows older than {@link Limits#keep} and the oldest
 * beyond {@link Limits#rows}; the refresher's round runs it.
 */
public final class AuditLog {

    /** How long one row gathers the repeats of a refusal. */
    static final Duration WINDOW = Duration.ofHours(1);

    /** How much of the log is kept. */
    public record Limits(Duration keep, int rows) {
        /** 90 days, and at most 100,000 rows (some 20 MB): enough to look back on a connection's trouble. */
        public static final Limits DEFAULT = new Limits(Duration.ofDays(90), 100_000);

        public Limits {
            Objects.requireNonNull(keep, "keep");
            if (rows < 1) {
                throw new IllegalArgumentException("audit log rows: expected at least 1, got " + rows);
            }
        }
    }

    private final Database database;
    private final Clock clock;
    private final Limits limits;

    public AuditLog(Database database, Clock clock, Limits limits) {
        this.database = database;
        this.clock = clock;
        this.limits = limits;
    }

    /** Writes one row on its own transaction. {@code detail} is never a secret. */
    public void write(String installId, String event, String detail) {
        database.inTransaction(connection -> {
            write(connection, clock.instant(), installId, event, detail);
            return null;
        });
    }

    /** Writes one row within {@code connection}'s transaction, at {@code at}; a refusal joins its row of the hour. */
    static void write(Connection connection, Instant at, String installId, String event, String detail)
            throws SQLException {
        if (event.endsWith("_refused") && repeated(connection, at, installId, event, detail)) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_log (at, install_id, event, detail) VALUES (?, ?, ?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(at));
            insert.setString(2, installId);
            insert.setString(3, event);
            insert.setString(4, detail);
            insert.executeUpdate();
        }
    }

    private static boolean repeated(Connection connection, Instant at, String installId, String event, String detail)
            throws SQLException {
        long id;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id FROM audit_log
                 WHERE event = ? AND at > ? AND install_id IS NOT DISTINCT FROM ? AND detail IS NOT DISTINCT FROM ?
                 ORDER BY id DESC LIMIT 1""")) {
            select.setString(1, event);
            select.setTimestamp(2, Timestamp.from(at.minus(WINDOW)));
            select.setString(3, installId);
            select.setString(4, detail);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return false;
                }
                id = row.getLong(1);
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE audit_log SET repeats = repeats + 1, last_at = ? WHERE id = ?")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setLong(2, id);
            update.executeUpdate();
        }
        return true;
    }

    /** Drops rows past {@link Limits#keep} and the oldest beyond {@link Limits#rows}; returns how many went. */
    public int prune() {
        return database.inTransaction(connection -> {
            int dropped;
            try (PreparedStatement old = connection.prepareStatement("DELETE FROM audit_log WHERE at < ?")) {
                old.setTimestamp(1, Timestamp.from(clock.instant().minus(limits.keep())));
                dropped = old.executeUpdate();
            }
            try (PreparedStatement surplus = connection.prepareStatement("""
                    DELETE FROM audit_log WHERE id <= (
                        SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET ?)""")) {
                surplus.setInt(1, limits.rows());
                dropped += surplus.executeUpdate();
            }
            return dropped;
        });
    }
}
