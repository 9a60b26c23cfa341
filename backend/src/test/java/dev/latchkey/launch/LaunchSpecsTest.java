package dev.latchkey.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.latchkey.AppConfig;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStore;
import dev.latchkey.provider.ProviderRegistry;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one launch-spec builder, on the built-in catalog and providers and a real H2 file. */
class LaunchSpecsTest {

    @TempDir
    Path dataDir;

    private Database database;
    private InstallService installs;
    private InstallStore store;
    private LaunchSpecs specs;
    private final List<InstallEvent> events = new ArrayList<>();

    /** A server with a list of secret keys, handed over in its environment. */
    private static final String KEYS_MANIFEST = """
            {"name": "test__keys", "display_name": "Keys",
             "server": {"command": "node", "args": ["index.js"], "env": {"ACME_KEYS": "${user_config.keys}"}},
             "user_config": {"keys": {"type": "string", "multiple": true, "sensitive": true, "required": true}}}
            """;

    @BeforeEach
    void open() throws Exception {
        AppConfig config = AppConfig.of(dataDir);
        Files.createDirectories(config.userCatalogDir());
        Files.writeString(config.userCatalogDir().resolve("test__keys.json"), KEYS_MANIFEST);
        database = Database.open(dataDir);
        store = new InstallStore(database, SecretVault.open(dataDir),
                new ObjectMapper().registerModule(new JavaTimeModule()), Clock.systemUTC());
        Catalog catalog = Catalog.load(config.userCatalogDir());
        InstallEvents bus = new InstallEvents();
        bus.subscribe(events::add);
        installs = new InstallService(catalog, store, bus, Clock.systemUTC());
        specs = new LaunchSpecs(catalog, ProviderRegistry.load(config.userProvidersDir()), store, config::installDir);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_server_without_sign_in_gets_its_filled_in_command_and_settings_and_nothing_else() {
        Path shared = dataDir.resolve("shared");
        Install install = installs.install(new InstallRequest("modelcontextprotocol__filesystem",
                Map.of("allowed_directories", List.of(shared.toString())), AuthMethod.NONE));

        LaunchSpec spec = specs.forInstall(install.id());

        assertThat(spec.command()).isEqualTo("npx");
        assertThat(spec.args()).endsWith(shared.toString());
        assertThat(spec.env()).isEmpty();
        assertThat(spec.files()).isEmpty();
        assertThat(spec.directory()).isEqualTo(dataDir.resolve("installs").resolve(install.id()));
    }

    @Test
    void browser_login_values_are_merged_into_the_manifest_env_under_the_providers_variables() {
        Install install = stored("korotovsky__slack-mcp-server", AuthMethod.BROWSER, Map.of("add_message_tool", "C123"));
        installs.saveCredentials(install.id(), new Credentials("slack-browser", AuthMethod.BROWSER,
                Map.of("token", "xoxc-111", "cookie", "xoxd-222"), null, "Acme"), Why.CONNECTED);

        LaunchSpec spec = specs.forInstall(install.id());

        assertThat(spec.env()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "SLACK_MCP_ADD_MESSAGE_TOOL", "C123",
                "SLACK_MCP_XOXC_TOKEN", "xoxc-111",
                "SLACK_MCP_XOXD_TOKEN", "xoxd-222"));
        assertThat(spec.envNames()).containsExactly("SLACK_MCP_ADD_MESSAGE_TOOL", "SLACK_MCP_XOXC_TOKEN",
                "SLACK_MCP_XOXD_TOKEN");
        assertThat(spec.toString()).doesNotContain("xoxc-111").doesNotContain("xoxd-222").contains("SLACK_MCP_XOXC_TOKEN");
        assertThat(spec.redact("token xoxc-111 cookie xoxd-222")).isEqualTo("token " + Install.MASK + " cookie " + Install.MASK);
        assertThat(events).contains(new InstallEvent.CredentialsChanged(install.id(), Why.CONNECTED));
    }

    @Test
    void new_credentials_replace_the_old_ones_whole_and_the_old_values_are_gone() {
        Install install = stored("korotovsky__slack-mcp-server", AuthMethod.BROWSER, Map.of());
        installs.saveCredentials(install.id(), new Credentials("slack-browser", AuthMethod.BROWSER,
                Map.of("token", "xoxc-old", "cookie", "xoxd-old"), null, "Old"), Why.CONNECTED);
        installs.saveCredentials(install.id(), new Credentials("slack", AuthMethod.OAUTH,
                Map.of("accessToken", "xoxp-new"), Instant.parse("2030-01-01T00:00:00Z"), "New"), Why.SWITCHED);

        Credentials now = store.credentials(install.id()).orElseThrow();

        assertThat(now.values()).isEqualTo(Map.of("accessToken", "xoxp-new"));
        assertThat(now.provider()).isEqualTo("slack");
        assertThat(now.method()).isEqualTo(AuthMethod.OAUTH);
        assertThat(now.accountLabel()).isEqualTo("New");
        assertThat(now.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(now.toString()).doesNotContain("xoxp-new");
        assertThat(store.find(install.id()).orElseThrow().accountLabel()).isEqualTo("New");
    }

    @Test
    void oauth_credential_files_are_written_0600_into_the_install_directory_with_the_tokens() throws Exception {
        Install install = stored("modelcontextprotocol__gdrive", AuthMethod.OAUTH, Map.of());
        installs.saveCredentials(install.id(), new Credentials("google", AuthMethod.OAUTH,
                Map.of("accessToken", "ya29.access", "refreshToken", "1//refresh"), null, "me@example.com"),
                Why.CONNECTED);

        LaunchSpec spec = specs.forInstall(install.id());
        LaunchSpecs.writeFiles(spec);

        Path file = spec.directory().resolve(".gdrive-server-credentials.json");
        assertThat(spec.env()).containsEntry("GDRIVE_CREDENTIALS_PATH", file.toString());
        assertThat(new ObjectMapper().readTree(file.toFile()).get("access_token").asText()).isEqualTo("ya29.access");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spec.directory()))).isEqualTo("rwx------");
        assertThat(spec.toString()).doesNotContain("ya29.access");
    }

    @Test
    void a_sensitive_list_is_sealed_whole_and_comes_back_as_its_items() {
        Install install = installs.install(new InstallRequest("test__keys", Map.of("keys", List.of("k-one", "k-two")),
                AuthMethod.NONE));

        LaunchSpec spec = specs.forInstall(install.id());

        assertThat(spec.env()).containsEntry("ACME_KEYS", "k-one,k-two");
        assertThat(spec.redact("k-one and k-two")).isEqualTo(Install.MASK + " and " + Install.MASK);
    }

    @Test
    void an_unknown_install_is_refused_by_name() {
        assertThatThrownBy(() -> specs.forInstall("nope"))
                .isInstanceOf(InstallRefusedException.class)
                .hasMessage("no install has the id \"nope\"");
    }

    /** An install as the OAuth and browser flows store it, bypassing the service's method checks. */
    private Install stored(String catalogName, AuthMethod auth, Map<String, Object> plain) {
        Instant now = Instant.now();
        Install install = new Install(java.util.UUID.randomUUID().toString(), catalogName, catalogName, auth, null,
                InstallStatus.PENDING_AUTH, null, null, Map.of(), now, now);
        store.insert(install, plain, Map.of());
        return install;
    }
}
