package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration from the environment and a {@code .env} file. */
class ConfigTest {

    @Test
    void uses_the_documented_defaults() {
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of());

        assertThat(config.port()).isEqualTo(8787);
        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.baseUrl()).isEqualTo("http://127.0.0.1:8787");
        assertThat(config.corsOrigin()).isNull();
        assertThat(config.rateLimitPerMinute()).isEqualTo(120);
        assertThat(config.upstreamConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxInFlight()).isEqualTo(1024);
        assertThat(config.upstreamMaxConnections()).isEqualTo(1024);
        assertThat(config.upstreamMaxQueued()).isEqualTo(1024);
        assertThat(config.providers()).isEmpty();
    }

    @Test
    void reads_the_capacity_settings_and_refuses_zero() {
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of(
                "MAX_IN_FLIGHT", "300", "UPSTREAM_MAX_CONNECTIONS", "200", "UPSTREAM_MAX_QUEUED", "100"));

        assertThat(List.of(config.maxInFlight(), config.upstreamMaxConnections(), config.upstreamMaxQueued()))
                .containsExactly(300, 200, 100);
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("UPSTREAM_MAX_QUEUED", "0")))
                .hasMessage("UPSTREAM_MAX_QUEUED must be at least 1, got 0");
    }

    @Test
    void registers_a_provider_only_when_both_its_id_and_secret_are_set() {
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of(
                "GOOGLE_CLIENT_ID", "g-id", "SLACK_CLIENT_SECRET", "only-a-secret",
                "MS_TEAMS_CLIENT_ID", "m-id", "MS_TEAMS_CLIENT_SECRET", "m-secret", "PORT", "9000"));

        assertThat(config.providers()).hasSize(1);
        ProviderSettings teams = config.providers().get(0);
        assertThat(teams.name()).isEqualTo(new ProviderName("ms-teams"));
        assertThat(teams.tokenUrl()).isEqualTo(URI.create("https://login.microsoftonline.com/common/oauth2/v2.0/token"));
        assertThat(teams.revokeUrl()).isNull();
        assertThat(teams.clientAuth()).isEqualTo(ClientAuth.POST);
        assertThat(config.baseUrl()).isEqualTo("http://127.0.0.1:9000");
    }

    @Test
    void knows_all_eight_built_in_providers_with_their_quirks() {
        assertThat(KnownProviders.all().keySet()).extracting(ProviderName::value)
                .containsExactlyInAnyOrder("github", "google", "jira", "linear", "linkedin", "ms-teams", "notion", "slack");
        assertThat(KnownProviders.all().get(new ProviderName("notion")).auth()).isEqualTo(ClientAuth.BASIC);
        assertThat(KnownProviders.all().get(new ProviderName("slack")).refreshes()).isFalse();
        assertThat(KnownProviders.all().get(new ProviderName("github")).kind()).isEqualTo(ProviderKind.GITHUB);
    }

    @Test
    void declares_a_provider_with_no_quirk_by_configuration_alone() {
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of(
                "ACME_CRM_CLIENT_ID", "a", "ACME_CRM_CLIENT_SECRET", "b",
                "ACME_CRM_TOKEN_URL", "https://login.acme.test/token", "ACME_CRM_TOKEN_AUTH", "basic"));

        ProviderSettings acme = config.providers().get(0);
        assertThat(acme.name().value()).isEqualTo("acme-crm");
        assertThat(acme.kind()).isEqualTo(ProviderKind.STANDARD);
        assertThat(acme.clientAuth()).isEqualTo(ClientAuth.BASIC);
        assertThat(acme.refreshes()).isTrue();
    }

    @Test
    void fails_loudly_for_an_unknown_provider_without_a_token_url() {
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("ACME_CLIENT_ID", "a", "ACME_CLIENT_SECRET", "b")))
                .hasMessage("acme is not a built-in provider, so ACME_TOKEN_URL is needed beside ACME_CLIENT_ID and ACME_CLIENT_SECRET");
    }

    @Test
    void refuses_a_plain_http_token_endpoint_off_the_loopback_interface() {
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("JIRA_CLIENT_ID", "a", "JIRA_CLIENT_SECRET", "b",
                "JIRA_TOKEN_URL", "http://auth.internal/token")))
                .hasMessage("JIRA_TOKEN_URL must be an https URL (http only on 127.0.0.1 or localhost), got http://auth.internal/token");
    }

    @Test
    void refuses_an_issuer_on_plain_http_off_the_loopback_interface_or_with_a_query() {
        Map<String, String> github = Map.of("GITHUB_CLIENT_ID", "a", "GITHUB_CLIENT_SECRET", "b");
        Map<String, String> http = new java.util.HashMap<>(github);
        http.put("GITHUB_ISSUER", "http://github.com/login/oauth");
        Map<String, String> query = new java.util.HashMap<>(github);
        query.put("GITHUB_ISSUER", "https://github.com/login/oauth?x=1");

        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(http))
                .hasMessage("GITHUB_ISSUER must be an https URL (http only on 127.0.0.1 or localhost), got http://github.com/login/oauth");
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(query)).hasMessage(
                "GITHUB_ISSUER is an issuer identifier, which has no query or fragment (RFC 8414 §2), got https://github.com/login/oauth?x=1");
    }

    @Test
    void names_the_variable_that_is_not_a_number() {
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("PORT", "eighty")))
                .hasMessage("PORT must be a whole number, got \"eighty\"");
    }

    @Test
    void never_shows_a_client_secret_in_its_text() {
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of("GITHUB_CLIENT_ID", "Iv1.abc", "GITHUB_CLIENT_SECRET", "very-secret-42"));

        assertThat(config.toString()).contains("Iv1.abc", "clientSecret=(hidden)").doesNotContain("very-secret-42");
    }

    @Test
    void reads_a_dot_env_file_with_comments_export_and_quotes() {
        Map<String, String> values = EnvFile.parse(List.of(
                "# proxy secrets", "", "export JIRA_CLIENT_ID=abc", "JIRA_CLIENT_SECRET=\"s p a c e $x\"",
                "PORT='9999'"), ".env");

        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of(
                "JIRA_CLIENT_ID", "abc", "JIRA_CLIENT_SECRET", "s p a c e $x", "PORT", "9999"));
    }

    @Test
    void names_the_line_of_a_broken_dot_env_file_but_not_its_content() {
        assertThatThrownBy(() -> EnvFile.parse(List.of("OK=1", "not a variable s3cr3t"), ".env"))
                .hasMessage(".env line 2: expected KEY=VALUE");
    }

    @Test
    void lets_the_process_environment_win_over_the_dot_env_file(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("proxy.env");
        Files.writeString(file, "PORT=1111\nCORS_ORIGIN=http://127.0.0.1:5173\n");

        Map<String, String> env = ProxyMain.environment(Map.of("LATCHKEY_PROXY_ENV_FILE", file.toString(), "PORT", "2222"));

        assertThat(ProxyConfig.fromEnvironment(env).port()).isEqualTo(2222);
        assertThat(ProxyConfig.fromEnvironment(env).corsOrigin()).isEqualTo("http://127.0.0.1:5173");
    }
}
