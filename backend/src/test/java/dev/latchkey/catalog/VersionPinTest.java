package dev.latchkey.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.definition.Origin;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionPinTest {

    @Test
    void every_built_in_catalog_server_is_pinned_to_a_version(@TempDir Path noUserFolder) {
        List<CatalogServer> builtIn = Catalog.load(noUserFolder).servers().stream()
                .filter(server -> server.source() == Origin.BUILT_IN).toList();

        assertThat(builtIn).hasSizeGreaterThan(10);
        assertThat(builtIn).allSatisfy(server ->
                assertThat(VersionPin.problem(server.server())).as(server.name()).isEmpty());
    }

    @Test
    void an_npm_package_is_pinned_by_an_exact_version_only() {
        assertThat(problem("npx", "-y", "@acme/crm-mcp@1.2.3")).isEmpty();
        assertThat(problem("npx", "-y", "crm-mcp@2026.8.31", "stdio")).isEmpty();
        assertThat(problem("npx", "-y", "@acme/crm-mcp")).contains(
                "npx runs @acme/crm-mcp with no version: each start may fetch another release; pin one, e.g. @acme/crm-mcp@1.2.3");
        assertThat(problem("npx", "crm-mcp@latest")).contains(
                "npx runs crm-mcp@latest, which is not one version: each start may fetch another release; pin one, e.g. crm-mcp@1.2.3");
        assertThat(problem("npx", "-y", "crm-mcp@^1.2")).isPresent();
    }

    @Test
    void a_python_package_is_pinned_by_an_exact_version_only() {
        assertThat(problem("uvx", "mcp-server-time@2026.10.19")).isEmpty();
        assertThat(problem("uvx", "mcp-server-git@2026.10.19", "--repository", "/x")).isEmpty();
        assertThat(problem("uvx", "--from", "mcp-atlassian==0.23.1", "mcp-atlassian")).isEmpty();
        assertThat(problem("uvx", "mcp-server-fetch")).contains(
                "uvx runs mcp-server-fetch with no version: each start may fetch another release; pin one, e.g. mcp-server-fetch@1.2.3");
        assertThat(problem("uvx", "--from", "mcp-server-fetch>=1.0", "mcp-server-fetch")).isPresent();
        assertThat(problem("uvx", "mcp-server-fetch==1.0")).as("uvx takes == only through --from").isPresent();
    }

    @Test
    void an_image_is_pinned_by_a_tag_other_than_latest_or_by_a_digest() {
        assertThat(problem("docker", "run", "-i", "--rm", "-e", "TOKEN", "ghcr.io/acme/crm:v1.11.0")).isEmpty();
        assertThat(problem("docker", "run", "-i", "acme/crm@sha256:" + "a".repeat(64))).isEmpty();
        assertThat(problem("docker", "run", "-i", "--rm", "-e", "TOKEN", "ghcr.io/acme/crm")).contains(
                "docker runs ghcr.io/acme/crm with no tag: each start may pull another image; pin one, e.g. ghcr.io/acme/crm:1.2.3");
        assertThat(problem("docker", "run", "--env=A=b", "localhost:5000/crm")).isPresent();
        assertThat(problem("docker", "run", "acme/crm:latest")).isPresent();
    }

    @Test
    void a_program_that_fetches_nothing_has_nothing_to_pin() {
        assertThat(problem("node", "/opt/crm/index.js", "stdio")).isEmpty();
        assertThat(problem("python", "-m", "crm_mcp")).isEmpty();
    }

    private static java.util.Optional<String> problem(String command, String... args) {
        return VersionPin.problem(new ServerSpec("local", command, List.of(args), Map.of(), null));
    }
}
