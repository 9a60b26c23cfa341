package dev.latchkey.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The official MCP conformance suite's client auth scenarios (npm
 * {@code @modelcontextprotocol/conformance}, pinned in npm-tools/package.json) against
 * {@code latchkey remote-check}: every one passes, with no warning.
 */
class ConformanceSuiteTest {

    static final List<String> AUTH_SCENARIOS = List.of("auth/metadata-default", "auth/metadata-var1",
            "auth/metadata-var2", "auth/metadata-var3", "auth/basic-cimd", "auth/scope-from-www-authenticate",
            "auth/scope-from-scopes-supported", "auth/scope-omitted-when-undefined", "auth/scope-step-up",
            "auth/scope-retry-limit", "auth/token-endpoint-auth-basic", "auth/token-endpoint-auth-post",
            "auth/token-endpoint-auth-none", "auth/pre-registration");

    @Test
    void every_auth_scenario_of_the_pinned_suite_passes() throws Exception {
        ConformanceRun.Result result = ConformanceRun.run("@modelcontextprotocol/conformance", List.of("--suite", "auth"),
                Path.of("target/conformance").toAbsolutePath());
        for (String scenario : AUTH_SCENARIOS) {
            Matcher line = Pattern.compile("^(\\S) " + Pattern.quote(scenario) + ": (.*)$", Pattern.MULTILINE)
                    .matcher(result.output());
            assertTrue(line.find(), scenario + " is missing from the suite's summary:\n" + tail(result.output()));
            assertEquals("✓", line.group(1), scenario + ": " + line.group(2) + "\n" + tail(result.output()));
        }
        assertTrue(result.output().contains("Running auth suite (14 scenarios)"), tail(result.output()));
        assertTrue(result.output().contains(" 0 failed, 0 warnings"), tail(result.output()));
        assertEquals(0, result.exit(), tail(result.output()));
    }

    static String tail(String output) {
        return output.length() > 6000 ? output.substring(output.length() - 6000) : output;
    }
}
