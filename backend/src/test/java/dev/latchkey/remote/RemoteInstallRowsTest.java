package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.api.ApiClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote install's {@code installs} row and its {@code remote_servers} row are one transaction:
 * when the second write fails (here the real H2 file refuses it by a check the test adds), the
 * answer is an error and neither row, nor the install's audit row, is left behind.
 */
class RemoteInstallRowsTest {

    @TempDir
    Path dataDir;
    private FakeSite site;
    private Backend backend;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        site = new FakeSite(); // answers 404 to /mcp: an old server, no sign-in asked for
        backend = Backend.start(AppConfig.of(dataDir));
        api = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        backend.close();
        site.close();
    }

    @Test
    void a_refused_remote_servers_row_leaves_no_install_behind() throws Exception {
        try (Connection db = connection()) {
            db.createStatement().execute("ALTER TABLE remote_servers ADD CONSTRAINT test_refuses CHECK (url NOT LIKE '%/refused%')");
        }
        HttpResponse<String> refused = api.post("/api/installs", new ObjectMapper().writeValueAsString(
                Map.of("remoteUrl", site.url("/refused/mcp").toString(), "displayName", "Refused")));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(500);
        assertThat(new ObjectMapper().readTree(api.get("/api/installs").body()).get("installs")).isEmpty();
        try (Connection db = connection()) {
            assertThat(count(db, "installs")).isZero();
            assertThat(count(db, "remote_servers")).isZero();
            assertThat(count(db, "audit_log WHERE event = 'installed'")).isZero();
        }

        HttpResponse<String> fine = api.post("/api/installs", new ObjectMapper().writeValueAsString(
                Map.of("remoteUrl", site.url("/mcp").toString(), "displayName", "Fine")));
        assertThat(fine.statusCode()).as(fine.body()).isEqualTo(201);
        try (Connection db = connection()) {
            assertThat(count(db, "installs")).isEqualTo(1);
            assertThat(count(db, "remote_servers")).isEqualTo(1);
        }
    }

    /** A second connection to the app's own H2 file (H2 shares an open database within one JVM). */
    private Connection connection() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("latchkey")
                + ";DB_CLOSE_ON_EXIT=FALSE", "latchkey", "");
    }

    private static long count(Connection db, String from) throws Exception {
        try (ResultSet rows = db.createStatement().executeQuery("SELECT COUNT(*) FROM " + from)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
