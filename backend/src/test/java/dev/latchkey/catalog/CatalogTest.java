package dev.latchkey.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.definition.LoadProblem;
import dev.latchkey.definition.Origin;
import dev.latchkey.definition.SourceFile;
import dev.latchkey.definition.SourceFiles;
import dev.latchkey.provider.ProviderRegistry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {

    @Test
    void loads_every_built_in_server_as_runnable_without_a_problem() {
        Catalog catalog = Catalog.load(null);

        assertThat(catalog.problems()).isEmpty();
        assertThat(catalog.servers()).extracting(CatalogServer::displayName).containsExactly(
                "Everything (MCP test server)", "Fetch", "Filesystem", "Git", "GitHub", "Google Drive", "Jira",
                "Linear", "LinkedIn", "Memory", "Microsoft Teams", "Notion", "Sequential Thinking", "Slack", "Time");
        assertThat(catalog.servers()).filteredOn(s -> !s.runnable()).extracting(CatalogServer::problem).isEmpty();
        assertThat(catalog.servers()).extracting(CatalogServer::source).containsOnly(Origin.BUILT_IN);
    }

    @Test
    void built_in_names_agree_with_the_built_in_providers() {
        assertThat(NameCheck.mismatches(Catalog.load(null), ProviderRegistry.load(null))).isEmpty();
    }

    @Test
    void derives_the_ways_each_built_in_server_connects() {
        Catalog catalog = Catalog.load(null);

        CatalogServer slack = catalog.find("korotovsky__slack-mcp-server").orElseThrow();
        assertThat(slack.auth()).containsExactly("oauth", "browser");
        assertThat(slack.oauthProvider()).contains("slack");
        assertThat(slack.browserProvider()).contains("slack-browser");
        CatalogServer teams = catalog.find("floriscornel__teams-mcp").orElseThrow();
        assertThat(teams.browserProvider()).contains("ms-teams-browser");
        CatalogServer linkedin = catalog.find("stickerdaniel__linkedin-mcp-server").orElseThrow();
        assertThat(linkedin.auth()).containsExactly("browser");
        assertThat(linkedin.browserProvider()).contains("linkedin-browser");
        assertThat(catalog.find("sooperset__mcp-atlassian").orElseThrow().auth()).containsExactly("oauth");
        assertThat(catalog.find("modelcontextprotocol__filesystem").orElseThrow().auth()).containsExactly("none");
    }

    @Test
    void lists_messy_manifests_as_not_runnable_with_the_reason() throws URISyntaxException {
        Catalog catalog = user("messy");

        assertThat(catalog.problems()).isEmpty();
        assertThat(catalog.servers()).extracting(CatalogServer::name, CatalogServer::problem).containsExactly(
                org.assertj.core.groups.Tuple.tuple("acme__empty-command", "command \"\" cannot be run"),
                org.assertj.core.groups.Tuple.tuple("acme__extra-keys", null),
                org.assertj.core.groups.Tuple.tuple("acme__mcpb-python", null),
                org.assertj.core.groups.Tuple.tuple("acme__odd-type",
                        "user_config.color has type \"colour\"; Latchkey knows string, number, boolean, directory and file"),
                org.assertj.core.groups.Tuple.tuple("acme__remote", null),
                org.assertj.core.groups.Tuple.tuple("acme__undefined-placeholder",
                        "the launch line uses ${user_config.api_key}, but user_config has no \"api_key\""),
                org.assertj.core.groups.Tuple.tuple("acme__unknown-command", "command \"unknown\" cannot be run"));
    }

    @Test
    void keeps_what_latchkey_uses_from_a_manifest_full_of_extra_keys() throws URISyntaxException {
        CatalogServer server = user("messy").find("acme__extra-keys").orElseThrow();

        assertThat(server.runnable()).isTrue();
        assertThat(server.server()).isEqualTo(new ServerSpec("local", "node",
                List.of("${__dirname}/index.js", "--port", "8080"), Map.of("DEBUG", "1"), null));
        assertThat(server.userConfig().get("token"))
                .isEqualTo(new UserConfigField("string", "Token", "", true, null, true, null, null, false));
        assertThat(server.isSensitive("token")).isTrue();
        assertThat(server.auth()).containsExactly("none");
        assertThat(server.source()).isEqualTo(Origin.USER);
    }

    @Test
    void a_sensitive_setting_on_the_command_line_makes_the_server_not_runnable_with_the_reason() {
        CatalogServer server = Manifests.server("""
                {"command": "node", "args": ["index.js", "--token=${user_config.token}"]}
                """, """
                {"token": {"type": "string", "sensitive": true}}
                """);

        assertThat(server.runnable()).isFalse();
        assertThat(server.problem()).isEqualTo("user_config.token is sensitive, but server.args puts it on the command "
                + "line, which every local user can read; pass it in server.env instead");
    }

    @Test
    void a_sensitive_setting_in_the_environment_is_runnable() {
        CatalogServer server = Manifests.server("""
                {"command": "node", "args": ["index.js"], "env": {"ACME_TOKEN": "${user_config.token}"}}
                """, """
                {"token": {"type": "string", "sensitive": true}}
                """);

        assertThat(server.problem()).isNull();
    }

    @Test
    void reads_the_launch_line_of_an_mcpb_manifest_from_mcp_config() throws URISyntaxException {
        CatalogServer server = user("messy").find("acme__mcpb-python").orElseThrow();

        assertThat(server.server()).isEqualTo(new ServerSpec("local", "python",
                List.of("${__dirname}/server/main.py"), Map.of("PYTHONPATH", "${__dirname}/lib"), null));
    }

    @Test
    void a_broken_manifest_is_a_problem_and_does_not_block_the_others() throws URISyntaxException {
        Catalog catalog = user("broken");

        assertThat(catalog.servers()).extracting(CatalogServer::name).containsExactly("acme__fine");
        assertThat(catalog.problems()).containsExactly(
                new LoadProblem("user catalog/acme__array.json", "(file): a manifest must be a JSON object"),
                new LoadProblem("user catalog/acme__broken.json",
                        "line 4: Unexpected character (',' (code 44)): was expecting double-quote to start field name"),
                new LoadProblem("user catalog/acme__no-name.json",
                        "name: must be letters, digits, \".\", \"_\" or \"-\" (e.g. \"owner__server\"), got nothing"),
                new LoadProblem("user catalog/acme__wrong-file-name.json",
                        "name: must match the file name: a file named \"acme__wrong-file-name.json\" must define "
                                + "\"acme__wrong-file-name\", got \"acme__other-name\""));
    }

    @Test
    void a_user_manifest_replaces_the_built_in_of_the_same_name(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("modelcontextprotocol__time.json"), """
                {"name": "modelcontextprotocol__time", "display_name": "Time (pinned)",
                 "server": {"command": "uvx", "args": ["mcp-server-time@2026.10.19"]}}
                """);

        Catalog catalog = Catalog.load(dir);

        CatalogServer time = catalog.find("modelcontextprotocol__time").orElseThrow();
        assertThat(time.displayName()).isEqualTo("Time (pinned)");
        assertThat(time.source()).isEqualTo(Origin.USER);
        assertThat(catalog.servers()).hasSize(15);
        assertThat(catalog.problems()).isEmpty();
    }

    @Test
    void two_manifests_of_one_origin_with_one_name_is_a_problem_naming_both() {
        byte[] json = "{\"name\": \"acme__x\", \"server\": {\"command\": \"npx\"}}".getBytes(UTF_8);
        List<SourceFile> files = List.of(
                new SourceFile(Origin.USER, "user catalog/acme__x.json", "acme__x.json", json),
                new SourceFile(Origin.USER, "user catalog/more/acme__x.json", "acme__x.json", json));

        Catalog catalog = Catalog.from(files, List.of());

        assertThat(catalog.servers()).hasSize(1);
        assertThat(catalog.problems()).containsExactly(new LoadProblem("user catalog/more/acme__x.json",
                "name \"acme__x\" is already defined by user catalog/acme__x.json; this file is ignored"));
    }

    @Test
    void serializes_a_server_as_the_api_contract_shows() throws Exception {
        CatalogServer filesystem = Catalog.load(null).find("modelcontextprotocol__filesystem").orElseThrow();

        assertThat(new ObjectMapper().writeValueAsString(filesystem)).isEqualTo("{\"name\":\"modelcontextprotocol__filesystem\","
                + "\"display_name\":\"Filesystem\",\"description\":\"Read and write files in the directories you allow.\","
                + "\"source\":\"built-in\",\"server\":{\"type\":\"local\",\"command\":\"npx\",\"args\":[\"-y\","
                + "\"@modelcontextprotocol/server-filesystem@2026.8.31\",\"${user_config.allowed_directories}\"],\"env\":{}},"
                + "\"user_config\":{\"allowed_directories\":{\"type\":\"directory\",\"title\":\"Allowed directories\","
                + "\"description\":\"The directories the server may read and write; nothing outside them.\",\"required\":true,"
                + "\"sensitive\":false,\"multiple\":true}},\"archestra_config\":{\"oauth\":{\"provider\":null,\"required\":false},"
                + "\"browser_based\":{\"required\":false,\"provider\":null}},\"auth\":[\"none\"],\"runnable\":true,\"problem\":null}");
    }

    @Test
    void serializes_a_remote_server_with_its_url_as_runnable() throws Exception {
        CatalogServer remote = user("messy").find("acme__remote").orElseThrow();

        String json = new ObjectMapper().writeValueAsString(remote);

        assertThat(json).contains("\"server\":{\"type\":\"remote\",\"args\":[],\"env\":{},\"url\":\"https://mcp.example.com/mcp\"}");
        assertThat(json).endsWith("\"runnable\":true,\"problem\":null}");
    }

    @Test
    void sorts_servers_by_display_name_ignoring_case() {
        List<SourceFile> files = new ArrayList<>();
        for (String[] s : new String[][] {{"b__one", "beta"}, {"a__two", "Alpha"}, {"c__three", "alpha"}}) {
            files.add(new SourceFile(Origin.USER, "user catalog/" + s[0] + ".json", s[0] + ".json",
                    ("{\"name\": \"" + s[0] + "\", \"display_name\": \"" + s[1] + "\", \"server\": {\"command\": \"npx\"}}").getBytes(UTF_8)));
        }

        assertThat(Catalog.from(files, List.of()).servers()).extracting(CatalogServer::name)
                .containsExactly("a__two", "c__three", "b__one");
    }

    private static Catalog user(String folder) throws URISyntaxException {
        SourceFiles.Listing listing = SourceFiles.userFolder(
                Path.of(CatalogTest.class.getResource("/catalog-cases/" + folder).toURI()), "catalog");
        return Catalog.from(listing.files(), listing.problems());
    }
}
