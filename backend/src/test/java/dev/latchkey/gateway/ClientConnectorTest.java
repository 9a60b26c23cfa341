package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStore;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client config writer on real-looking configuration files of each client program. */
class ClientConnectorTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA).build();

    private static final String CLAUDE_DESKTOP = """
            {
              "mcpServers": {
                "filesystem": {
                  "command": "npx",
                  "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/me/Desktop"]
                },
                "github": {"command": "docker", "args": ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server"],
                           "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_mine"}}
              },
              "globalShortcut": "Ctrl+Space"
            }
            """;
    private static final String CURSOR = """
            {
              "mcpServers": {
                "linear": {"url": "https://mcp.linear.app/sse"},
                "local-notes": {"command": "node", "args": ["/home/me/notes/server.js"], "env": {"NOTES": "/home/me/notes"}}
              }
            }
            """;
    private static final String VS_CODE = """
            {
              // my servers
              "inputs": [{"type": "promptString", "id": "api-key", "description": "API key", "password": true}],
              "servers": {
                "fetch": {"type": "stdio", "command": "uvx", "args": ["mcp-server-fetch"]},
                "remote": {"type": "http", "url": "https://example.com/mcp", "headers": {"Authorization": "Bearer ${input:api-key}"}},
              }
            }
            """;
    private static final String CLAUDE_CODE = """
            {
              "numStartups": 42,
              "installMethod": "npm",
              "autoUpdates": true,
              "tipsHistory": {"new-user-warmup": 1},
              "projects": {"/home/me/work": {"allowedTools": [], "mcpServers": {"project-db": {"command": "db-mcp"}}}},
              "mcpServers": {"sentry": {"type": "http", "url": "https://mcp.sentry.dev/mcp"}},
              "userID": "abc123"
            }
            """;

    @TempDir
    Path home;
    @TempDir
    Path dataDir;

    private Database database;
    private ClientService clients;
    private ClientConnector connector;

    @BeforeEach
    void start() {
        database = Database.open(dataDir);
        Clock clock = Clock.systemUTC();
        InstallService installs = new InstallService(Catalog.load(dataDir.resolve("catalog")),
                new InstallStore(database, SecretVault.open(dataDir), new ObjectMapper(), clock), new InstallEvents(), clock);
        clients = new ClientService(database, installs, clock);
        connector = new ClientConnector(clients, home, false, List.of("/opt/latchkey/latchkey", "mcp", "--data-dir", "/home/me/.local/share/latchkey"));
    }

    @AfterEach
    void stop() {
        database.close();
    }

    private Path write(ClientApp app, String text) throws Exception {
        Path file = app.configFile(home, false);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    /** Connects, then checks every other key is as it was and the backup is the file as it was. */
    private ObjectNode connectKeepingTheRest(ClientApp app, String original, String serversKey) throws Exception {
        Path file = write(app, original);

        connector.connect(app);

        ObjectNode before = (ObjectNode) JSON.readTree(original);
        ObjectNode after = (ObjectNode) JSON.readTree(Files.readString(file));
        ObjectNode servers = (ObjectNode) after.get(serversKey);
        JsonNode entry = servers.remove(ClientConnector.ENTRY);
        assertThat(after).isEqualTo(before);
        assertThat(Files.readString(file.resolveSibling(file.getFileName() + ".latchkey.bak"))).isEqualTo(original);
        assertThat(entry.get("command").asText()).isEqualTo("/opt/latchkey/latchkey");
        assertThat(entry.get("args").toString()).isEqualTo("[\"mcp\",\"--data-dir\",\"/home/me/.local/share/latchkey\"]");
        String token = entry.get("env").get(ClientConnector.TOKEN_ENV).asText();
        assertThat(clients.authenticate(token)).map(GatewayClient::kind).contains(app.id());
        return (ObjectNode) entry;
    }

    @Test
    void claude_desktop_keeps_its_other_servers_and_settings() throws Exception {
        JsonNode entry = connectKeepingTheRest(ClientApp.CLAUDE_DESKTOP, CLAUDE_DESKTOP, "mcpServers");
        assertThat(entry.has("type")).isFalse();
    }

    @Test
    void cursor_keeps_its_other_servers() throws Exception {
        connectKeepingTheRest(ClientApp.CURSOR, CURSOR, "mcpServers");
    }

    @Test
    void vs_code_keeps_its_inputs_and_servers_and_gets_a_typed_entry() throws Exception {
        JsonNode entry = connectKeepingTheRest(ClientApp.VS_CODE, VS_CODE, "servers");
        assertThat(entry.get("type").asText()).isEqualTo("stdio");
    }

    @Test
    void claude_code_keeps_every_other_key_of_its_big_file() throws Exception {
        connectKeepingTheRest(ClientApp.CLAUDE_CODE, CLAUDE_CODE, "mcpServers");
    }

    @Test
    void a_missing_file_is_created_with_only_latchkey() throws Exception {
        connector.connect(ClientApp.CURSOR);

        JsonNode written = JSON.readTree(Files.readString(ClientApp.CURSOR.configFile(home, false)));
        assertThat(written.get("mcpServers").size()).isEqualTo(1);
        assertThat(written.get("mcpServers").has("latchkey")).isTrue();
    }

    @Test
    void undo_takes_out_only_latchkey_and_revokes_its_client() throws Exception {
        Path file = write(ClientApp.CLAUDE_DESKTOP, CLAUDE_DESKTOP);
        connector.connect(ClientApp.CLAUDE_DESKTOP);
        String token = JSON.readTree(Files.readString(file)).get("mcpServers").get("latchkey").get("env")
                .get(ClientConnector.TOKEN_ENV).asText();

        connector.undo(ClientApp.CLAUDE_DESKTOP);

        assertThat(JSON.readTree(Files.readString(file))).isEqualTo(JSON.readTree(CLAUDE_DESKTOP));
        assertThat(clients.authenticate(token)).isEmpty();
    }

    @Test
    void connecting_again_replaces_the_entry_and_revokes_the_former_client() throws Exception {
        Path file = write(ClientApp.CURSOR, CURSOR);
        connector.connect(ClientApp.CURSOR);
        String first = JSON.readTree(Files.readString(file)).get("mcpServers").get("latchkey").get("env")
                .get(ClientConnector.TOKEN_ENV).asText();

        connector.connect(ClientApp.CURSOR);

        assertThat(clients.authenticate(first)).isEmpty();
        assertThat(JSON.readTree(Files.readString(file)).get("mcpServers").size()).isEqualTo(3);
    }

    @Test
    void a_file_that_is_not_json_is_left_alone() throws Exception {
        Path file = write(ClientApp.CURSOR, "{\"mcpServers\": {\"x\": ");

        assertThatThrownBy(() -> connector.connect(ClientApp.CURSOR))
                .isInstanceOf(ClientRefusedException.class)
                .hasMessageContaining("is not valid JSON");
        assertThat(Files.readString(file)).isEqualTo("{\"mcpServers\": {\"x\": ");
        assertThat(clients.list()).isEmpty();
    }

    @Test
    void a_world_readable_file_is_written_owner_only_and_so_is_its_backup() throws Exception {
        Path file = write(ClientApp.CURSOR, CURSOR);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        connector.connect(ClientApp.CURSOR);

        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(backupOf(file))).isEqualTo("rw-------");
    }

    @Test
    void a_new_file_is_written_owner_only() throws Exception {
        connector.connect(ClientApp.CLAUDE_CODE);

        assertThat(mode(ClientApp.CLAUDE_CODE.configFile(home, false))).isEqualTo("rw-------");
    }

    @Test
    void comments_are_not_kept_in_the_file_only_in_its_backup() throws Exception {
        Path file = write(ClientApp.VS_CODE, VS_CODE);

        connector.connect(ClientApp.VS_CODE);

        assertThat(Files.readString(file)).doesNotContain("// my servers");
        assertThat(Files.readString(backupOf(file))).contains("// my servers");
    }

    @Test
    void a_failed_write_keeps_the_former_client_and_leaves_no_new_one() throws Exception {
        Path file = write(ClientApp.CURSOR, CURSOR);
        connector.connect(ClientApp.CURSOR);
        String written = Files.readString(file);
        String first = JSON.readTree(written).get("mcpServers").get("latchkey").get("env").get(ClientConnector.TOKEN_ENV).asText();
        Path backup = backupOf(file);
        Files.delete(backup);
        Files.createDirectories(backup.resolve("in-the-way"));

        assertThatThrownBy(() -> connector.connect(ClientApp.CURSOR)).hasMessageContaining(backup.toString());

        assertThat(Files.readString(file)).isEqualTo(written);
        assertThat(clients.authenticate(first)).isPresent();
        assertThat(clients.list().stream().filter(client -> !client.revoked())).hasSize(1);
    }

    private static Path backupOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".latchkey.bak");
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void the_preview_shows_the_entry_and_the_path_without_a_token() {
        ClientConnector.Plan plan = connector.preview(ClientApp.CLAUDE_CODE);

        assertThat(plan.path()).isEqualTo(home.resolve(".claude.json").toString());
        assertThat(plan.fileExists()).isFalse();
        assertThat(plan.entry()).contains("\"command\" : \"/opt/latchkey/latchkey\"").contains(ClientConnector.TOKEN_PLACEHOLDER);
        assertThat(clients.list()).isEmpty();
    }
}
