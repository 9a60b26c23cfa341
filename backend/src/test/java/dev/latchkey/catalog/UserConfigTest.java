package dev.latchkey.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserConfigTest {

    private static final Path HOME = Path.of("/home/ada");

    private static final CatalogServer SERVER = Manifests.server("{\"command\": \"npx\"}", """
            {
              "api_key":  {"type": "string", "required": true, "sensitive": true},
              "retries":  {"type": "number", "min": 0, "max": 10, "default": 3},
              "ratio":    {"type": "number", "min": 0, "max": 1},
              "verbose":  {"type": "boolean", "default": false},
              "dirs":     {"type": "directory", "multiple": true, "default": ["${HOME}/notes"]},
              "log_file": {"type": "file"},
              "pin":      {"type": "number", "sensitive": true, "max": 9999}
            }
            """);

    @Test
    void applies_defaults_and_expands_home_in_them() {
        Map<String, Object> values = UserConfig.validate(SERVER, Map.of("api_key", "sk-1"), HOME);

        assertThat(values).containsExactly(
                Map.entry("api_key", "sk-1"),
                Map.entry("retries", 3L),
                Map.entry("verbose", false),
                Map.entry("dirs", List.of("/home/ada/notes")));
    }

    @Test
    void fills_every_built_in_but_dirname_in_a_default() {
        CatalogServer server = Manifests.server("{\"command\": \"npx\"}", """
                {"cache": {"type": "directory", "default": "${DOWNLOADS}${/}cache"},
                 "data":  {"type": "file", "default": "${__dirname}/data.json"}}
                """);

        assertThat(UserConfig.validate(server, Map.of(), HOME)).containsExactly(
                Map.entry("cache", "/home/ada/Downloads/cache"),
                Map.entry("data", "${__dirname}/data.json"));
    }

    @Test
    void normalizes_numbers_booleans_and_paths() {
        Map<String, Object> values = UserConfig.validate(SERVER, Map.of("api_key", "sk-1", "retries", "7", "ratio", 0.25,
                "verbose", "true", "dirs", List.of("/srv/a/../b", "/srv/c"), "log_file", "/var/log/acme.log"), HOME);

        assertThat(values).containsExactly(
                Map.entry("api_key", "sk-1"),
                Map.entry("retries", 7L),
                Map.entry("ratio", 0.25),
                Map.entry("verbose", true),
                Map.entry("dirs", List.of("/srv/b", "/srv/c")),
                Map.entry("log_file", "/var/log/acme.log"));
    }

    @Test
    void takes_a_single_value_for_a_multiple_field_as_a_list_of_one() {
        assertThat(UserConfig.validate(SERVER, Map.of("api_key", "k", "dirs", "/srv/a"), HOME).get("dirs"))
                .isEqualTo(List.of("/srv/a"));
    }

    @Test
    void rejects_a_missing_required_value() {
        assertInvalid(Map.of(), "api_key", "api_key: a value is required");
        assertInvalid(Map.of("api_key", "  "), "api_key", "api_key: a value is required");
    }

    @Test
    void rejects_a_number_out_of_range() {
        assertInvalid(Map.of("api_key", "k", "retries", 12), "retries", "retries: must be at most 10, got 12");
        assertInvalid(Map.of("api_key", "k", "ratio", -0.5), "ratio", "ratio: must be at least 0, got -0.5");
    }

    @Test
    void rejects_a_whole_number_too_large_for_a_long_by_name() {
        CatalogServer server = unbounded();
        String message = "count: expected a whole number from -9223372036854775808 to 9223372036854775807, got ";

        assertInvalid(server, Map.of("count", 1e30), "count", message + "1E+30");
        assertInvalid(server, Map.of("count", "1e30"), "count", message + "1E+30");
        assertInvalid(server, Map.of("count", "1.5e400"), "count", message + "1.5E+400");
        assertInvalid(server, Map.of("count", new java.math.BigInteger("9223372036854775808")), "count",
                message + "9223372036854775808");
        assertInvalid(server, Map.of("count", "-9223372036854775809"), "count", message + "-9223372036854775809");
        assertInvalid(server, Map.of("count", "1e999999999"), "count", message + "1E+999999999");
    }

    @Test
    void takes_the_largest_whole_numbers_a_long_holds() {
        CatalogServer server = unbounded();

        assertThat(UserConfig.validate(server, Map.of("count", "9223372036854775807"), HOME).get("count"))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(UserConfig.validate(server, Map.of("count", -9223372036854775808L), HOME).get("count"))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void rejects_a_fraction_too_large_for_a_double_by_name() {
        assertInvalid(unbounded(), Map.of("count", "9".repeat(400) + ".5"), "count",
                "count: expected a number of at most 1.7976931348623157E308 in size, got 1E+400");
    }

    @Test
    void a_huge_number_in_a_bounded_or_sensitive_field_is_refused_by_its_bound() {
        assertInvalid(Map.of("api_key", "k", "retries", 1e30), "retries",
                "retries: must be at most 10, got 1E+30");
        assertInvalid(Map.of("api_key", "k", "pin", "1e999999999"), "pin", "pin: must be at most 9999");
    }

    @Test
    void a_bound_too_large_for_a_double_makes_the_server_not_runnable_by_name() {
        CatalogServer server = Manifests.server("{\"command\": \"npx\"}", """
                {"count": {"type": "number", "max": 1e400}}
                """);

        assertThat(server.runnable()).isFalse();
        assertThat(server.problem()).isEqualTo("user_config.count.max must be a finite number, got \"Infinity\"");
    }

    @Test
    void rejects_values_of_the_wrong_type() {
        assertInvalid(Map.of("api_key", "k", "retries", "many"), "retries", "retries: expected a number, got \"many\"");
        assertInvalid(Map.of("api_key", "k", "verbose", "yes"), "verbose", "verbose: expected true or false, got \"yes\"");
        assertInvalid(Map.of("api_key", 42), "api_key", "api_key: expected a string, got a number");
        assertInvalid(Map.of("api_key", "k", "retries", List.of(1, 2)), "retries", "retries: expected one number, got a list");
        assertInvalid(Map.of("api_key", "k", "dirs", List.of("notes")), "dirs",
                "dirs: expected an absolute path to a directory, got \"notes\"");
    }

    @Test
    void never_shows_a_sensitive_value_in_a_message() {
        assertInvalid(Map.of("api_key", "k", "pin", 123456), "pin", "pin: must be at most 9999");
        assertInvalid(Map.of("api_key", "k", "pin", "hunter2"), "pin", "pin: expected a number, got a string");
    }

    @Test
    void rejects_a_key_the_manifest_does_not_define() {
        assertInvalid(Map.of("api_key", "k", "colour", "red"), "colour",
                "colour: Acme Test has no setting of that name; it has api_key, retries, ratio, verbose, dirs, log_file, pin");
    }

    @Test
    void leaves_unset_optional_fields_out_and_accepts_null_as_no_value() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("api_key", "k");
        raw.put("ratio", null);

        assertThat(UserConfig.validate(SERVER, raw, HOME)).doesNotContainKey("ratio").doesNotContainKey("log_file");
    }

    @Test
    void rejects_an_empty_list_for_a_required_multiple_field() {
        CatalogServer filesystem = Catalog.load(null).find("modelcontextprotocol__filesystem").orElseThrow();

        assertThatThrownBy(() -> UserConfig.validate(filesystem, Map.of("allowed_directories", List.of()), HOME))
                .isInstanceOf(InvalidUserConfigException.class)
                .hasMessage("allowed_directories: a value is required");
    }

    private static CatalogServer unbounded() {
        return Manifests.server("{\"command\": \"npx\"}", """
                {"count": {"type": "number"}}
                """);
    }

    private static void assertInvalid(Map<String, Object> raw, String field, String message) {
        assertInvalid(SERVER, raw, field, message);
    }

    private static void assertInvalid(CatalogServer server, Map<String, Object> raw, String field, String message) {
        assertThatThrownBy(() -> UserConfig.validate(server, raw, HOME))
                .isInstanceOfSatisfying(InvalidUserConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessage(message);
    }
}
