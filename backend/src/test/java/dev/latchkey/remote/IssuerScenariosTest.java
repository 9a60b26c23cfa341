package dev.latchkey.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The issuer scenarios of the conformance suite's 0.2.0 alpha (npm alias {@code conformance-next}):
 * RFC 9207's {@code iss} at the callback and RFC 8414 §3.3's metadata issuer. The alpha's MCP
 * server speaks a draft protocol version after the sign-in, which the SDK's client does not, so
 * what is held is the suite's own checks of the sign-in: none fails or warns, and the scenario's
 * verdict check is a success. (The client's exit is not: it fails at the draft's initialize.)
 */
class IssuerScenariosTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "auth/iss-supported, sep-2468-client-compare-iss-supported",
        "auth/iss-not-advertised, sep-2468-client-proceed-no-iss",
        "auth/iss-supported-missing, sep-2468-client-reject-missing-iss",
        "auth/iss-wrong-issuer, sep-2468-client-compare-iss-supported",
        "auth/iss-unexpected, sep-2468-client-compare-iss-unadvertised",
        "auth/iss-normalized, sep-2468-client-no-normalization",
        "auth/metadata-issuer-mismatch, sep-2468-client-validate-metadata-issuer"})
    void the_sign_in_passes_the_alpha_issuer_scenario(String scenario, String verdict) throws Exception {
        Path output = Path.of("target/conformance-next").resolve(scenario.replace('/', '-')).toAbsolutePath();
        // The suite adds a folder per run: only this run's checks count.
        if (Files.exists(output)) {
            try (Stream<Path> old = Files.walk(output)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        ConformanceRun.Result result = ConformanceRun.run("conformance-next", List.of("--scenario", scenario), output);
        List<JsonNode> checks = checks(output);
        List<String> bad = new ArrayList<>();
        boolean verdictSeen = false;
        for (JsonNode check : checks) {
            String status = check.path("status").asText();
            if (status.equals("FAILURE") || status.equals("WARNING")) {
                bad.add(check.path("id").asText() + ": " + check.path("description").asText());
            }
            if (check.path("id").asText().equals(verdict)) {
                verdictSeen = true;
                assertEquals("SUCCESS", status, check.toString());
            }
        }
        assertEquals(List.of(), bad, ConformanceSuiteTest.tail(result.output()));
        assertTrue(verdictSeen, "no check " + verdict + " in " + output + ":\n" + ConformanceSuiteTest.tail(result.output()));
    }

    private static List<JsonNode> checks(Path output) throws IOException {
        List<JsonNode> checks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(output)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("checks.json")).toList()) {
                JSON.readTree(file.toFile()).forEach(checks::add);
            }
        }
        return checks;
    }
}
