package dev.latchkey.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.MovableClock;
import dev.latchkey.store.Database;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    private static final Instant START = Instant.parse("2031-02-03T04:00:00Z");

    @TempDir
    Path dataDir;

    private Database database;
    private final MovableClock clock = new MovableClock(START);

    @BeforeEach
    void open() {
        database = Database.open(dataDir);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_refusal_repeated_within_the_hour_is_one_row_with_its_count_and_its_last_time() {
        AuditLog log = new AuditLog(database, clock, AuditLog.Limits.DEFAULT);
        for (int i = 0; i < 500; i++) {
            clock.now = START.plusSeconds(i);
            log.write(null, "oauth_callback_refused", "unknown or already used state");
        }
        log.write(null, "oauth_callback_refused", "no usable state");
        log.write("i-1", "oauth_callback_refused", "unknown or already used state");

        assertThat(rows()).containsExactly(
                "null oauth_callback_refused unknown or already used state x500 " + START + ".." + START.plusSeconds(499),
                "null oauth_callback_refused no usable state x1 " + START.plusSeconds(499) + "..null",
                "i-1 oauth_callback_refused unknown or already used state x1 " + START.plusSeconds(499) + "..null");
    }

    @Test
    void a_refusal_after_the_hour_starts_a_new_row_and_other_events_are_never_coalesced() {
        AuditLog log = new AuditLog(database, clock, AuditLog.Limits.DEFAULT);
        log.write(null, "oauth_callback_refused", "no usable state");
        log.write("i-1", "refresh_failed", "proxy down");
        log.write("i-1", "refresh_failed", "proxy down");
        clock.now = START.plus(Duration.ofMinutes(61));
        log.write(null, "oauth_callback_refused", "no usable state");

        assertThat(rows()).containsExactly(
                "null oauth_callback_refused no usable state x1 " + START + "..null",
                "i-1 refresh_failed proxy down x1 " + START + "..null",
                "i-1 refresh_failed proxy down x1 " + START + "..null",
                "null oauth_callback_refused no usable state x1 " + START.plus(Duration.ofMinutes(61)) + "..null");
    }

    @Test
    void pruning_drops_rows_past_their_age_and_the_oldest_beyond_the_row_limit() {
        AuditLog log = new AuditLog(database, clock, new AuditLog.Limits(Duration.ofDays(90), 3));
        log.write("i-1", "installed", "old");
        clock.now = START.plus(Duration.ofDays(89));
        for (String detail : List.of("a", "b", "c", "d")) {
            log.write("i-1", "status", detail);
        }
        clock.now = START.plus(Duration.ofDays(91));

        assertThat(log.prune()).isEqualTo(2);
        assertThat(rows()).extracting(row -> row.split(" ")[2]).containsExactly("b", "c", "d");
    }

    private List<String> rows() {
        return database.inTransaction(connection -> {
            List<String> rows = new ArrayList<>();
            try (ResultSet row = connection.createStatement().executeQuery(
                    "SELECT install_id, event, detail, repeats, at, last_at FROM audit_log ORDER BY id")) {
                while (row.next()) {
                    rows.add(row.getString(1) + " " + row.getString(2) + " " + row.getString(3) + " x" + row.getInt(4)
                            + " " + row.getTimestamp(5).toInstant() + ".."
                            + (row.getTimestamp(6) == null ? null : row.getTimestamp(6).toInstant()));
                }
            }
            return rows;
        });
    }
}
