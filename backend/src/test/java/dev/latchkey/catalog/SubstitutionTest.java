package dev.latchkey.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubstitutionTest {

    private static final Path HOME = Path.of("/home/ada");
    private static final Path SERVER_DIR = Path.of("/home/ada/.latchkey/servers/42");

    private static final CatalogServer SERVER = Manifests.server("""
            {"command": "node", "args": ["${__dirname}/index.js", "${user_config.dirs}", "--token=${user_config.token}",
                                         "${user_config.label}", "--tags=${user_config.dirs}", "${HOME}${/}cache"],
             "env": {"ACME_TOKEN": "${user_config.token}", "ACME_LABEL": "${user_config.label}",
                     "ACME_DATA": "${user_config.data_file}", "ACME_URL": "https://x.example/${user_config.label}"}}
            """, """
            {"dirs": {"type": "directory", "multiple": true, "required": true},
             "token": {"type": "string", "required": true},
             "label": {"type": "string"},
             "data_file": {"type": "file", "default": "${__dirname}/data.json"}}
            """);

    @Test
    void fills_placeholders_inside_strings_and_expands_multiple_values_into_arguments() {
        Map<String, Object> config = UserConfig.validate(SERVER,
                Map.of("dirs", List.of("/srv/a", "/srv/b"), "token", "t0k", "label", "team one"), HOME);

        ServerLaunch launch = Substitution.resolve(SERVER, config, HOME, SERVER_DIR);

        assertThat(launch.command()).isEqualTo("node");
        assertThat(launch.args()).containsExactly("/home/ada/.latchkey/servers/42/index.js", "/srv/a", "/srv/b",
                "--token=t0k", "team one", "--tags=/srv/a,/srv/b", "/home/ada/cache");
        assertThat(launch.env()).isEqualTo(Map.of("ACME_TOKEN", "t0k", "ACME_LABEL", "team one",
                "ACME_DATA", "/home/ada/.latchkey/servers/42/data.json", "ACME_URL", "https://x.example/team one"));
    }

    @Test
    void drops_an_unset_optional_whole_argument_and_empties_it_inside_a_string() {
        Map<String, Object> config = UserConfig.validate(SERVER, Map.of("dirs", List.of("/srv/a"), "token", "t0k"), HOME);

        ServerLaunch launch = Substitution.resolve(SERVER, config, HOME, SERVER_DIR);

        assertThat(launch.args()).containsExactly("/home/ada/.latchkey/servers/42/index.js", "/srv/a", "--token=t0k",
                "--tags=/srv/a", "/home/ada/cache");
        assertThat(launch.env()).doesNotContainKey("ACME_LABEL").containsEntry("ACME_URL", "https://x.example/");
    }

    @Test
    void refuses_to_launch_without_a_required_value() {
        assertThatThrownBy(() -> Substitution.resolve(SERVER, Map.of("dirs", List.of("/srv/a")), HOME, SERVER_DIR))
                .isInstanceOfSatisfying(InvalidUserConfigException.class, e -> assertThat(e.field()).isEqualTo("token"))
                .hasMessage("token: a value is required");
    }

    @Test
    void leaves_no_placeholder_in_any_built_in_launch_line() {
        for (CatalogServer server : Catalog.load(null).servers()) {
            Map<String, Object> given = new java.util.HashMap<>();
            server.userConfig().forEach((key, field) -> {
                if (field.required()) {
                    given.put(key, field.type().equals("directory") ? "/srv/data" : "value");
                }
            });
            ServerLaunch launch = Substitution.resolve(server, UserConfig.validate(server, given, HOME), HOME, SERVER_DIR);

            assertThat(launch.command()).as(server.name()).doesNotContain("${");
            assertThat(launch.args()).as(server.name()).noneMatch(arg -> arg.contains("${"));
            assertThat(launch.env().values()).as(server.name()).noneMatch(value -> value.contains("${"));
        }
    }

    @Test
    void resolves_the_filesystem_server_as_the_api_example_installs_it() {
        CatalogServer filesystem = Catalog.load(null).find("modelcontextprotocol__filesystem").orElseThrow();
        Map<String, Object> config = UserConfig.validate(filesystem, Map.of("allowed_directories", List.of("/home/me/notes")), HOME);

        assertThat(Substitution.resolve(filesystem, config, HOME, SERVER_DIR)).isEqualTo(new ServerLaunch("npx",
                List.of("-y", "@modelcontextprotocol/server-filesystem@2026.8.31", "/home/me/notes"), Map.of()));
    }

    @Test
    void refuses_to_launch_a_server_that_is_not_runnable() {
        CatalogServer remote = Manifests.server("{\"type\": \"remote\", \"url\": \"http://mcp.example.com/mcp\"}", "{}");

        assertThatThrownBy(() -> Substitution.resolve(remote, Map.of(), HOME, SERVER_DIR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("acme__test cannot be run: server.url \"http://mcp.example.com/mcp\" is not an https URL"
                        + " (plain http is allowed on 127.0.0.1 and localhost only)");
    }
}
