package dev.latchkey.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.definition.LoadProblem;
import dev.latchkey.definition.Origin;
import dev.latchkey.definition.SourceFile;
import dev.latchkey.definition.SourceFiles;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {

    private static final List<SourceFile> BUILT_INS =
            SourceFiles.classpath(ProviderRegistryTest.class.getClassLoader(), "providers");

    @Test
    void loads_every_built_in_provider_without_a_problem() {
        ProviderRegistry registry = ProviderRegistry.load(null);

        assertThat(registry.problems()).isEmpty();
        assertThat(registry.all()).extracting(p -> p.name().value()).containsExactly(
                "github", "google", "jira", "linear", "linkedin", "linkedin-browser", "ms-teams", "ms-teams-browser",
                "notion", "slack", "slack-browser");
        assertThat(registry.all()).extracting(ProviderDefinition::source).containsOnly(Origin.BUILT_IN);
    }

    @Test
    void built_in_oauth_providers_carry_their_real_endpoints_and_redirects() {
        ProviderRegistry registry = ProviderRegistry.from(BUILT_INS, List.of(), Map.of());

        OAuthSettings google = registry.find("google").orElseThrow().oauth();
        assertThat(google.authorizationUrl()).hasToString("https://accounts.google.com/o/oauth2/v2/auth");
        assertThat(google.authorizationParams()).isEqualTo(Map.of("access_type", "offline", "prompt", "consent"));
        assertThat(google.redirect()).isEqualTo(Redirect.LOOPBACK);

        OAuthSettings jira = registry.find("jira").orElseThrow().oauth();
        assertThat(jira.authorizationParams()).isEqualTo(Map.of("audience", "api.atlassian.com", "prompt", "consent"));
        assertThat(jira.scopeParameter()).isEqualTo("read:jira-work write:jira-work read:jira-user offline_access");
        assertThat(jira.redirect()).isEqualTo(Redirect.PROXY);

        OAuthSettings slack = registry.find("slack").orElseThrow().oauth();
        assertThat(slack.scopeSeparator()).isEqualTo(",");
        assertThat(slack.authorizationParams().get("user_scope")).startsWith("channels:history,channels:read,");
        assertThat(slack.redirect()).isEqualTo(Redirect.PROXY);

        assertThat(registry.find("linear").orElseThrow().oauth().scopeParameter()).isEqualTo("read,write");
        assertThat(registry.find("github").orElseThrow().oauth().redirect()).isEqualTo(Redirect.LOOPBACK);
        assertThat(registry.find("notion").orElseThrow().oauth().redirect()).isEqualTo(Redirect.PROXY);
        assertThat(registry.find("ms-teams").orElseThrow().oauth().scopes()).startsWith("offline_access");
    }

    @Test
    void slack_browser_login_reads_the_xoxc_token_and_the_d_cookie() {
        ProviderDefinition slack = ProviderRegistry.from(BUILT_INS, List.of(), Map.of()).find("slack-browser").orElseThrow();

        assertThat(slack.kind()).isEqualTo("browser");
        BrowserAuthSettings auth = slack.browserAuth();
        assertThat(auth.extract().get("cookie")).isEqualTo(new Extraction.Cookie("d", ".slack.com", "xoxd-[^;\\s]+"));
        assertThat(auth.extract().get("token").accepts("xoxc-1-2-3-abc")).isTrue();
        assertThat(auth.extract().get("token").accepts("xoxp-1-2-3-abc")).isFalse();
        assertThat(((Extraction.Script) auth.extract().get("token")).script()).contains("localConfig_v2");
        assertThat(auth.isReady("https://app.slack.com/client/T0123ABCD/C0456")).isTrue();
        assertThat(auth.isReady("https://app.slack.com/signin")).isFalse();
        assertThat(slack.tokenEnvVarPattern())
                .isEqualTo(Map.of("token", "SLACK_MCP_XOXC_TOKEN", "cookie", "SLACK_MCP_XOXD_TOKEN"));
        assertThat(auth.check().url()).hasToString("https://slack.com/api/auth.test");
        assertThat(auth.check().headers(Map.of("token", "xoxc-1", "cookie", "xoxd-2")))
                .isEqualTo(Map.of("Authorization", "Bearer xoxc-1", "Cookie", "d=xoxd-2"));
    }

    @Test
    void a_broken_file_is_a_problem_and_the_others_still_load() throws URISyntaxException {
        SourceFiles.Listing user = SourceFiles.userFolder(cases("broken"), "providers");

        ProviderRegistry registry = ProviderRegistry.from(user.files(), user.problems(), Map.of());

        assertThat(registry.all()).extracting(p -> p.name().value()).containsExactly("good");
        assertThat(registry.problems()).containsExactly(
                new LoadProblem("user providers/acme.json", "authorizationUrl: must be an https URL, got \"ftp://x\""),
                new LoadProblem("user providers/broken.json",
                        "line 4: Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries"),
                new LoadProblem("user providers/mismatch.json",
                        "name: must match the file name: a file named \"mismatch.json\" must define \"mismatch\", got \"other\""),
                new LoadProblem("user providers/typo.json", "authorisationUrl: is not a field of a provider definition"));
    }

    @Test
    void a_user_file_replaces_the_built_in_of_the_same_name() throws URISyntaxException {
        SourceFiles.Listing user = SourceFiles.userFolder(cases("override"), "providers");
        List<SourceFile> files = new ArrayList<>(BUILT_INS);
        files.addAll(user.files());

        ProviderRegistry registry = ProviderRegistry.from(files, user.problems(), Map.of());

        ProviderDefinition slack = registry.find("slack").orElseThrow();
        assertThat(slack.displayName()).isEqualTo("Slack (our workspace app)");
        assertThat(slack.source()).isEqualTo(Origin.USER);
        assertThat(slack.oauth().clientId()).isEqualTo("1234.5678");
        assertThat(registry.problems()).isEmpty();
        assertThat(registry.all()).hasSize(11);
    }

    @Test
    void two_files_of_one_origin_with_one_name_is_a_problem_naming_both() {
        String json = oauthJson("acme", "\"tokenEnvVarPattern\": {\"accessToken\": \"ACME_TOKEN\"}");
        List<SourceFile> files = List.of(
                new SourceFile(Origin.USER, "user providers/acme.json", "acme.json", json.getBytes(UTF_8)),
                new SourceFile(Origin.USER, "user providers/copy/acme.json", "acme.json", json.getBytes(UTF_8)));

        ProviderRegistry registry = ProviderRegistry.from(files, List.of(), Map.of());

        assertThat(registry.all()).hasSize(1);
        assertThat(registry.problems()).containsExactly(new LoadProblem("user providers/copy/acme.json",
                "name \"acme\" is already defined by user providers/acme.json; this file is ignored"));
    }

    @Test
    void the_environment_overrides_a_public_client_id() {
        ProviderRegistry registry = ProviderRegistry.from(BUILT_INS, List.of(),
                Map.of("LATCHKEY_MS_TEAMS_CLIENT_ID", "teams-client", "LATCHKEY_SLACK_BROWSER_CLIENT_ID", "ignored"));

        assertThat(registry.find("ms-teams").orElseThrow().oauth().clientId()).isEqualTo("teams-client");
        assertThat(registry.find("slack").orElseThrow().oauth().clientId()).isEmpty();
        assertThat(ProviderRegistry.clientIdVariable(new ProviderName("ms-teams"))).isEqualTo("LATCHKEY_MS_TEAMS_CLIENT_ID");
    }

    @Test
    void reads_nothing_more_when_the_user_folder_does_not_exist(@TempDir Path dir) {
        ProviderRegistry registry = ProviderRegistry.load(dir.resolve("missing"));

        assertThat(registry.all()).hasSize(11);
        assertThat(registry.problems()).isEmpty();
    }

    @Test
    void loads_user_files_from_the_user_folder(@TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("acme.json"),
                oauthJson("acme", "\"tokenEnvVarPattern\": {\"accessToken\": \"ACME_TOKEN\"}"));
        java.nio.file.Files.writeString(dir.resolve("notes.txt"), "not a definition");

        ProviderRegistry registry = ProviderRegistry.load(dir);

        assertThat(registry.find("acme").orElseThrow().source()).isEqualTo(Origin.USER);
        assertThat(registry.all()).hasSize(12);
        assertThat(registry.problems()).isEmpty();
    }

    static String oauthJson(String name, String extra) {
        return """
                {"name": "%s", "displayName": "Acme", "authorizationUrl": "https://acme.example.com/authorize",
                 "scopes": ["read"], "scopeSeparator": " ", "usePKCE": true, "clientId": "",
                 "redirect": "loopback", "supportsRefresh": false, %s}
                """.formatted(name, extra);
    }

    private static Path cases(String folder) throws URISyntaxException {
        return Path.of(ProviderRegistryTest.class.getResource("/provider-cases/" + folder).toURI());
    }
}
