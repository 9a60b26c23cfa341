package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.store.SealedValues;
import dev.latchkey.store.DataDirInUseException;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendStartTest {

    @TempDir
    Path dataDir;

    @Test
    void the_built_in_providers_and_catalog_start_with_no_mismatch() {
        try (Backend backend = Backend.start(AppConfig.of(dataDir))) {
            assertThat(backend.nameMismatches()).isEmpty();
        }
    }

    @Test
    void start_up_reports_a_manifest_naming_an_unknown_provider_and_still_serves() throws Exception {
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog/acme__crm.json"), """
                {"name": "acme__crm", "display_name": "Acme CRM",
                 "server": {"command": "npx", "args": ["-y", "acme-crm-mcp"]},
                 "archestra_config": {"oauth": {"provider": "acme", "required": true}}}
                """);

        try (Backend backend = Backend.start(AppConfig.of(dataDir))) {
            assertThat(backend.nameMismatches()).hasSize(1);
            assertThat(backend.nameMismatches().get(0)).contains("acme__crm").contains("\"acme\"");
            assertThat(get(backend, "/api/catalog").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void start_up_reports_a_missing_browser_mapping() throws Exception {
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog/acme__chat.json"), """
                {"name": "acme__chat", "display_name": "Acme Chat",
                 "server": {"command": "npx", "args": ["-y", "acme-chat-mcp"]},
                 "archestra_config": {"oauth": {"provider": "github", "required": false},
                                      "browser_based": {"required": true}}}
                """);

        try (Backend backend = Backend.start(AppConfig.of(dataDir))) {
            assertThat(backend.nameMismatches()).singleElement().asString()
                    .contains("acme__chat").contains("github-browser");
        }
    }

    @Test
    void a_broken_user_provider_file_is_reported_and_the_built_ins_still_load() throws Exception {
        Files.createDirectories(dataDir.resolve("providers"));
        Files.writeString(dataDir.resolve("providers/acme.json"), "{\"name\": \"acme\", \"displayName\": ");

        try (Backend backend = Backend.start(AppConfig.of(dataDir))) {
            assertThat(backend.nameMismatches()).singleElement().asString().startsWith("user providers/acme.json");
            assertThat(get(backend, "/api/providers").body()).contains("\"name\":\"slack-browser\"");
        }
    }

    @Test
    void a_second_backend_on_the_same_data_dir_is_refused_and_the_first_keeps_serving() throws Exception {
        try (Backend first = Backend.start(AppConfig.of(dataDir))) {
            assertThatThrownBy(() -> Backend.start(AppConfig.of(dataDir))).isInstanceOf(DataDirInUseException.class);

            assertThat(get(first, "/api/installs").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_vault_key_lost_beside_sealed_secrets_stops_start_up_by_name_and_the_restored_key_starts_again() throws Exception {
        Backend.start(AppConfig.of(dataDir)).close();
        try (Database database = Database.open(dataDir)) {
            byte[] sealed = SecretVault.open(dataDir, () -> SealedValues.count(database))
                    .seal("install-1", "token.access", "secret-value");
            database.inTransaction(connection -> {
                connection.createStatement().executeUpdate("INSERT INTO installs (id, catalog_name, display_name,"
                        + " auth_method, status, created_at, updated_at) VALUES ('install-1', 'acme', 'Acme', 'none',"
                        + " 'stopped', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
                var insert = connection.prepareStatement("INSERT INTO secrets (install_id, name, sealed, updated_at)"
                        + " VALUES ('install-1', 'token.access', ?, CURRENT_TIMESTAMP)");
                insert.setBytes(1, sealed);
                return insert.executeUpdate();
            });
        }
        MissingVaultKey.refusesToStart(dataDir, 1);

        try (Backend backend = Backend.start(AppConfig.of(dataDir))) {
            assertThat(get(backend, "/api/installs").body()).contains("\"id\":\"install-1\"");
        }
    }

    @Test
    void a_relative_data_dir_is_taken_from_the_working_directory_and_handed_on_normalized() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(dataDir.resolve("inner/.."));
        assertThat(relative.isAbsolute()).isFalse();

        try (Backend backend = Backend.start(AppConfig.of(relative))) {
            assertThat(dataDir.resolve("instance.json")).exists();
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            String entry = json.readTree(get(backend, "/api/client-apps").body()).get("apps").get(0).get("entry").asText();
            assertThat(json.readTree(entry).get("args").toString()).isEqualTo("[\"mcp\",\"--data-dir\",\"" + dataDir + "\"]");
        }
    }

    @Test
    void callbacks_with_made_up_states_leave_one_audit_row_that_counts_them() throws Exception {
        try (Backend backend = Backend.start(AppConfig.of(dataDir))) {
            for (int i = 0; i < 200; i++) {
                assertThat(get(backend, "/oauth/callback?state=made-up-" + i + "&code=x").statusCode()).isEqualTo(400);
            }

            String url = "jdbc:h2:file:" + dataDir.resolve("latchkey") + ";DB_CLOSE_ON_EXIT=FALSE";
            try (var connection = java.sql.DriverManager.getConnection(url, "latchkey", "");
                 var row = connection.createStatement().executeQuery(
                         "SELECT event, detail, repeats FROM audit_log WHERE event LIKE 'oauth_callback%'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1) + "|" + row.getString(2) + "|" + row.getInt(3))
                        .isEqualTo("oauth_callback_refused|unknown or already used state|200");
                assertThat(row.next()).as("a second refused-callback row").isFalse();
            }
        }
    }

    private static HttpResponse<String> get(Backend backend, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path))
                .header("Authorization", "Bearer " + backend.secret()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
