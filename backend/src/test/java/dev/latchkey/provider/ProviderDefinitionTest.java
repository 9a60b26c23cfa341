package dev.latchkey.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.definition.Origin;
import dev.latchkey.definition.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per rule a definition file can break; each checks the exact problem text. */
class ProviderDefinitionTest {

    private static final String BROWSER = """
            {"name": "acme-browser", "displayName": "Acme (browser)",
             "browserAuth": {"loginUrl": "https://acme.example.com/login", "allowedHosts": ["acme.example.com", "*.acme.example.com"],
               "readyWhen": "^https://acme\\\\.example\\\\.com/home", "extract": {"session": {"cookie": "sid", "domain": ".acme.example.com"}},
               "timeoutSeconds": 120},
             %s}
            """;
    // A valid definition of each kind; each test breaks one rule in it.
    private static final String OAUTH = ProviderRegistryTest.oauthJson("acme", "\"tokenEnvVarPattern\": {\"accessToken\": \"A\"}");
    private static final String BROWSER_MAPPED = BROWSER.formatted("\"tokenEnvVarPattern\": {\"session\": \"S\"}");

    @Test
    void rejects_a_scope_separator_other_than_space_or_comma() {
        assertThat(problemOf("acme", OAUTH.replace("\"scopeSeparator\": \" \"", "\"scopeSeparator\": \";\"")))
                .isEqualTo("scopeSeparator: must be \" \" or \",\", got \";\"");
    }

    @Test
    void rejects_a_provider_without_pkce() {
        assertThat(problemOf("acme", OAUTH.replace("\"usePKCE\": true", "\"usePKCE\": false")))
                .isEqualTo("usePKCE: must be true: Latchkey holds no client secret, so every authorization uses PKCE");
    }

    @Test
    void rejects_an_unknown_redirect() {
        assertThat(problemOf("acme", OAUTH.replace("\"loopback\"", "\"web\"")))
                .isEqualTo("redirect: must be \"loopback\" or \"proxy\", got \"web\"");
    }

    @Test
    void rejects_an_authorization_param_that_latchkey_sets_itself() {
        assertThat(problemOf("acme", ProviderRegistryTest.oauthJson("acme",
                "\"authorizationParams\": {\"state\": \"fixed\"}, \"tokenEnvVarPattern\": {\"accessToken\": \"A\"}")))
                .isEqualTo("authorizationParams: \"state\" is set by Latchkey itself and cannot be overridden");
    }

    @Test
    void rejects_a_token_field_an_oauth_provider_does_not_have() {
        assertThat(problemOf("acme", ProviderRegistryTest.oauthJson("acme", "\"tokenEnvVarPattern\": {\"idToken\": \"A\"}")))
                .isEqualTo("tokenEnvVarPattern: maps \"idToken\", which is not a token field (accessToken, refreshToken, expiresAt)");
    }

    @Test
    void rejects_an_environment_variable_name_in_lower_case() {
        assertThat(problemOf("acme", ProviderRegistryTest.oauthJson("acme", "\"tokenEnvVarPattern\": {\"accessToken\": \"acme_token\"}")))
                .isEqualTo("tokenEnvVarPattern.accessToken: must be an environment variable name in capitals, got \"acme_token\"");
    }

    @Test
    void rejects_a_provider_that_hands_nothing_to_the_server() {
        assertThat(problemOf("acme", ProviderRegistryTest.oauthJson("acme", "\"tokenEnvVarPattern\": {}")))
                .isEqualTo("tokenEnvVarPattern: must map at least one value to an environment variable, unless credentialFiles are given");
    }

    @Test
    void rejects_a_provider_with_both_oauth_fields_and_browser_auth() {
        String both = BROWSER.formatted("\"authorizationUrl\": \"https://acme.example.com/authorize\", \"tokenEnvVarPattern\": {\"session\": \"S\"}");
        assertThat(problemOf("acme-browser", both))
                .isEqualTo("browserAuth: a provider has either the OAuth fields or a browserAuth object, not both");
    }

    @Test
    void rejects_a_provider_with_neither_oauth_fields_nor_browser_auth() {
        assertThat(problemOf("acme", "{\"name\": \"acme\", \"displayName\": \"Acme\", \"tokenEnvVarPattern\": {\"accessToken\": \"A\"}}"))
                .isEqualTo("authorizationUrl: a provider has either the OAuth fields or a browserAuth object, exactly one");
    }

    @Test
    void rejects_a_name_with_capitals() {
        assertThat(problemOf("Acme", ProviderRegistryTest.oauthJson("Acme", "\"tokenEnvVarPattern\": {\"accessToken\": \"A\"}")))
                .isEqualTo("name: must be lower-case letters, digits and single dashes (e.g. ms-teams), got \"Acme\"");
    }

    @Test
    void names_the_nested_field_of_a_browser_login_problem() {
        String badRegex = BROWSER_MAPPED.replace("^https://acme", "(^https://acme");
        assertThat(problemOf("acme-browser", badRegex))
                .startsWith("browserAuth.readyWhen: must be a regular expression, got \"(^https://acme");
    }

    @Test
    void rejects_a_login_page_outside_the_allowed_hosts() {
        String outside = BROWSER_MAPPED
                .replace("https://acme.example.com/login", "https://login.other.example/login");
        assertThat(problemOf("acme-browser", outside))
                .isEqualTo("browserAuth.loginUrl: its host \"login.other.example\" is not in allowedHosts");
    }

    @Test
    void rejects_a_cookie_extraction_without_a_domain() {
        String noDomain = BROWSER_MAPPED.replace(", \"domain\": \".acme.example.com\"", "");
        assertThat(problemOf("acme-browser", noDomain))
                .isEqualTo("browserAuth.extract.session.domain: must be a string, got nothing");
    }

    @Test
    void rejects_a_browser_mapping_of_a_value_that_is_not_extracted() {
        assertThat(problemOf("acme-browser", BROWSER.formatted("\"tokenEnvVarPattern\": {\"accessToken\": \"S\"}")))
                .isEqualTo("tokenEnvVarPattern: maps \"accessToken\", which is not an extract name");
    }

    @Test
    void rejects_a_session_check_on_a_host_the_login_may_not_visit() {
        assertThat(problemOf("acme-browser", withCheck("\"url\": \"https://collector.example/check\", \"healthyWhen\": {}")))
                .isEqualTo("browserAuth.check.url: its host \"collector.example\" is not in allowedHosts");
    }

    @Test
    void rejects_a_session_check_header_that_uses_a_value_the_window_does_not_read() {
        assertThat(problemOf("acme-browser", withCheck("\"url\": \"https://acme.example.com/me\", "
                + "\"headers\": {\"Authorization\": \"Bearer ${token}\"}, \"healthyWhen\": {}")))
                .isEqualTo("browserAuth.check.headers: ${token} is not one of the extract names [session]");
    }

    @Test
    void rejects_a_session_check_without_its_healthy_answer() {
        assertThat(problemOf("acme-browser", withCheck("\"url\": \"https://acme.example.com/me\"")))
                .isEqualTo("browserAuth.check.healthyWhen: must be an object, got nothing");
    }

    @Test
    void rejects_a_session_check_whose_healthy_answer_is_not_a_success() {
        assertThat(problemOf("acme-browser", withCheck("\"url\": \"https://acme.example.com/me\", \"healthyWhen\": {\"status\": 401}")))
                .isEqualTo("browserAuth.check.healthyWhen.status: must be a success status (200 to 299), got 401");
    }

    @Test
    void rejects_a_session_check_method_other_than_get_or_post() {
        assertThat(problemOf("acme-browser", withCheck("\"url\": \"https://acme.example.com/me\", \"method\": \"DELETE\", \"healthyWhen\": {}")))
                .isEqualTo("browserAuth.check.method: must be \"GET\" or \"POST\", got \"DELETE\"");
    }

    @Test
    void rejects_an_unknown_field_of_a_session_check() {
        assertThat(problemOf("acme-browser", withCheck("\"url\": \"https://acme.example.com/me\", \"healthyWhen\": {}, \"every\": 5")))
                .isEqualTo("browserAuth.check.every: is not a field of a provider definition");
    }

    @Test
    void reads_a_session_check_with_its_filled_headers_healthy_answer_and_account_label() throws Exception {
        ProviderDefinition acme = load("acme-browser", withCheck("\"url\": \"https://acme.example.com/me\", \"method\": \"POST\", "
                + "\"headers\": {\"Cookie\": \"sid=${session}\"}, \"healthyWhen\": {\"status\": 200, \"json\": {\"ok\": true}}, "
                + "\"accountLabel\": [\"team\", \"user\"]"), Origin.USER);

        SessionCheck check = acme.browserAuth().check();
        ObjectMapper json = new ObjectMapper();
        assertThat(check.headers(Map.of("session", "s-1"))).isEqualTo(Map.of("Cookie", "sid=s-1"));
        assertThat(check.healthyWhen().problem(200, json.readTree("{\"ok\": true, \"team\": \"Acme\", \"user\": \"ann\"}"))).isEmpty();
        assertThat(check.healthyWhen().problem(200, json.readTree("{\"ok\": false, \"error\": \"invalid_auth\"}")))
                .contains("its answer had \"ok\": false instead of true");
        assertThat(check.healthyWhen().problem(200, json.readTree("{\"ok\": \"a-secret-looking-text\"}")))
                .contains("its answer had no proper \"ok\" instead of true");
        assertThat(check.healthyWhen().problem(401, null)).contains("it answered HTTP 401 instead of 200");
        assertThat(check.accountLabel(json.readTree("{\"ok\": true, \"team\": \"Acme\", \"user\": \"ann\"}"))).isEqualTo("Acme · ann");
        assertThat(check.accountLabel(json.readTree("{\"ok\": true}"))).isNull();
    }

    private static String withCheck(String check) {
        return BROWSER_MAPPED.replace("\"timeoutSeconds\": 120}", "\"timeoutSeconds\": 120, \"check\": {" + check + "}}");
    }

    @Test
    void rejects_a_credential_file_that_climbs_out_of_the_server_directory() {
        String climbing = ProviderRegistryTest.oauthJson("acme",
                "\"tokenEnvVarPattern\": {}, \"credentialFiles\": [{\"path\": \"../.ssh/x.json\", \"template\": {\"t\": \"${accessToken}\"}}]");
        assertThat(problemOf("acme", climbing))
                .isEqualTo("credentialFiles[0].path: must stay inside the server's directory (relative, no \"..\"), got \"../.ssh/x.json\"");
    }

    @Test
    void rejects_a_credential_template_placeholder_that_is_not_a_token_field() {
        String unknown = ProviderRegistryTest.oauthJson("acme",
                "\"tokenEnvVarPattern\": {}, \"credentialFiles\": [{\"path\": \"c.json\", \"template\": {\"t\": \"${password}\"}}]");
        assertThat(problemOf("acme", unknown))
                .isEqualTo("credentialFiles[0].template: uses ${password}, which is not a token field (accessToken, refreshToken, expiresAt)");
    }

    @Test
    void serializes_an_oauth_provider_in_the_shape_of_its_file_plus_kind_and_source() throws Exception {
        ProviderDefinition github = load("github", new String(
                getClass().getResourceAsStream("/providers/github.json").readAllBytes(), UTF_8), Origin.BUILT_IN);

        assertThat(new ObjectMapper().writeValueAsString(github)).isEqualTo("{\"name\":\"github\",\"displayName\":\"GitHub\","
                + "\"kind\":\"oauth\",\"source\":\"built-in\",\"authorizationUrl\":\"https://github.com/login/oauth/authorize\","
                + "\"scopes\":[\"repo\",\"read:org\",\"read:user\"],\"scopeSeparator\":\" \",\"usePKCE\":true,\"clientId\":\"\","
                + "\"authorizationParams\":{},\"redirect\":\"loopback\",\"authorizeIn\":\"system\",\"supportsRefresh\":false,"
                + "\"tokenEnvVarPattern\":{\"accessToken\":\"GITHUB_PERSONAL_ACCESS_TOKEN\"},\"credentialFiles\":[]}");
    }

    @Test
    void serializes_a_browser_provider_with_its_browser_auth_object() throws Exception {
        ProviderDefinition linkedin = load("linkedin-browser", new String(
                getClass().getResourceAsStream("/providers/linkedin-browser.json").readAllBytes(), UTF_8), Origin.BUILT_IN);

        assertThat(new ObjectMapper().writeValueAsString(linkedin)).isEqualTo("{\"name\":\"linkedin-browser\","
                + "\"displayName\":\"LinkedIn (browser login)\",\"kind\":\"browser\",\"source\":\"built-in\","
                + "\"browserAuth\":{\"loginUrl\":\"https://www.linkedin.com/login\",\"allowedHosts\":[\"www.linkedin.com\","
                + "\"linkedin.com\",\"*.linkedin.com\",\"*.licdn.com\",\"accounts.google.com\",\"appleid.apple.com\"],"
                + "\"ssoHosts\":[],\"readyWhen\":\"^https://www\\\\.linkedin\\\\.com/(feed|in/|messaging|mynetwork)\","
                + "\"extract\":{\"liAt\":{\"cookie\":\"li_at\",\"domain\":\".www.linkedin.com\"}},\"timeoutSeconds\":300},"
                + "\"tokenEnvVarPattern\":{\"liAt\":\"LINKEDIN_COOKIE\"},\"credentialFiles\":[]}");
    }

    private static String problemOf(String name, String json) {
        ProviderRegistry registry = ProviderRegistry.from(List.of(file(name, json, Origin.USER)), List.of(), Map.of());
        assertThat(registry.all()).isEmpty();
        assertThat(registry.problems()).hasSize(1);
        assertThat(registry.problems().get(0).source()).isEqualTo("user providers/" + name + ".json");
        return registry.problems().get(0).message();
    }

    private static ProviderDefinition load(String name, String json, Origin origin) {
        ProviderRegistry registry = ProviderRegistry.from(List.of(file(name, json, origin)), List.of(), Map.of());
        assertThat(registry.problems()).isEmpty();
        return registry.find(name).orElseThrow();
    }

    private static SourceFile file(String name, String json, Origin origin) {
        return new SourceFile(origin, (origin == Origin.USER ? "user" : "built-in") + " providers/" + name + ".json",
                name + ".json", json.getBytes(UTF_8));
    }
}
