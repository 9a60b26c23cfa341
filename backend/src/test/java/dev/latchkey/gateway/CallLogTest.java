package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.store.Database;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's call log on a real H2 file, with a database slow enough that calls queue up behind it. */
class CallLogTest {

    @TempDir
    Path dataDir;

    private Database database;
    private ClientStore store;
    private GatewayClient client;
    private final List<Integer> batches = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        database = Database.open(dataDir);
        store = new ClientStore(database, Clock.systemUTC());
        client = new GatewayClient(UUID.randomUUID().toString(), "caller", null, true, Set.of(), Instant.now(), null, null, 0);
        store.insert(client, "hash-" + client.id());
    }

    @AfterEach
    void close() {
        database.close();
    }

    private CallLog slowLog() {
        return new CallLog(calls -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            store.recordCalls(calls);
            batches.add(calls.size());
        });
    }

    private CallLog.Call call(String tool) {
        return new CallLog.Call(client.id(), "install-1", tool, Instant.now());
    }

    @Test
    void closing_writes_every_call_still_queued() {
        CallLog log = slowLog();
        for (int i = 0; i < 5; i++) {
            log.add(call("tool-" + i));
        }

        log.close();

        assertThat(toolCalls()).containsExactly("tool-0", "tool-1", "tool-2", "tool-3", "tool-4");
        assertThat(store.find(client.id()).orElseThrow().callCount()).isEqualTo(5);
        assertThat(batches).as("calls that queued while one was written go in together").hasSizeLessThan(5);
    }

    @Test
    void a_call_recorded_after_closing_is_written_at_once() {
        CallLog log = slowLog();
        log.close();

        log.add(call("late"));

        assertThat(toolCalls()).containsExactly("late");
        assertThat(store.find(client.id()).orElseThrow().lastCallAt()).isNotNull();
    }

    private List<String> toolCalls() {
        return database.inTransaction(connection -> {
            List<String> tools = new ArrayList<>();
            try (ResultSet row = connection.createStatement().executeQuery(
                    "SELECT detail FROM audit_log WHERE event = 'tool_call' ORDER BY id")) {
                while (row.next()) {
                    tools.add(row.getString(1));
                }
            }
            return tools;
        });
    }
}
