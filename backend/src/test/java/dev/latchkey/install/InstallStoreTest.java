package dev.latchkey.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.MovableClock;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallStoreTest {

    private static final Instant INSTALLED = Instant.parse("2031-02-03T04:05:06Z");
    private static final Instant UNINSTALLED = Instant.parse("2032-07-08T09:10:11Z");

    @Test
    void audit_rows_carry_the_time_of_the_stores_clock(@TempDir Path dataDir) {
        MovableClock clock = new MovableClock(INSTALLED);
        try (Database database = Database.open(dataDir)) {
            InstallStore store = new InstallStore(database, SecretVault.open(dataDir), new ObjectMapper(), clock);
            store.insert(new Install("i-1", "acme__crm", "Acme CRM", AuthMethod.NONE, null, InstallStatus.STOPPED,
                    null, null, Map.of(), INSTALLED, INSTALLED), Map.of(), Map.of());
            clock.now = UNINSTALLED;
            store.delete("i-1");

            assertThat(auditRows(database)).containsExactly("installed at " + INSTALLED,
                    "uninstalled at " + UNINSTALLED);
        }
    }

    @Test
    void a_status_reason_of_any_length_is_stored_cut_to_what_the_column_holds(@TempDir Path dataDir) {
        try (Database database = Database.open(dataDir)) {
            InstallStore store = new InstallStore(database, SecretVault.open(dataDir), new ObjectMapper(), Clock.systemUTC());
            store.insert(new Install("i-1", "acme__crm", "Acme CRM", AuthMethod.NONE, null, InstallStatus.STARTING,
                    null, null, Map.of(), INSTALLED, INSTALLED), Map.of(), Map.of());
            String reason = "x".repeat(5000);

            store.audit("i-1", "long", reason);
            InstallStore.Moved moved = store.transition("i-1", Transition.to(InstallStatus.RUNNING, reason));

            assertThat(moved).isEqualTo(InstallStore.Moved.APPLIED);
            assertThat(store.find("i-1").orElseThrow().statusReason()).hasSize(1000).endsWith("x…");
        }
    }

    private static List<String> auditRows(Database database) {
        return database.inTransaction(connection -> {
            List<String> rows = new ArrayList<>();
            try (ResultSet row = connection.createStatement().executeQuery(
                    "SELECT event, at FROM audit_log ORDER BY id")) {
                while (row.next()) {
                    rows.add(row.getString(1) + " at " + row.getTimestamp(2).toInstant());
                }
            }
            return rows;
        });
    }
}
