package dev.latchkey.proxy;

import static dev.latchkey.proxy.RunningProxy.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.proxy.FakeEndpoint.Reply;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Slack, GitHub and Notion against local endpoints that answer in each provider's recorded format. */
class ProviderShapesTest {

    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    private static RunningProxy proxyFor(String provider, FakeEndpoint upstream, String... more) {
        String prefix = new ProviderName(provider).envPrefix();
        Map<String, String> env = new HashMap<>(Map.of(
                prefix + "_CLIENT_ID", "1234.5678", prefix + "_CLIENT_SECRET", "s3cr3t-value",
                prefix + "_TOKEN_URL", upstream.url("/token"), prefix + "_REVOKE_URL", upstream.url("/revoke/")));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return RunningProxy.start(env);
    }

    /** A code exchange whose redirect went through the proxy's own callback for {@code provider}. */
    private static Map<String, String> codeExchange(String provider) {
        return codeExchange(provider, "https://proxy.test/oauth/callback/" + provider);
    }

    private static Map<String, String> codeExchange(String provider, String redirectUri) {
        return Map.of("grant_type", "authorization_code", "provider", provider, "code", "the-code",
                "redirect_uri", redirectUri, "code_verifier", VERIFIER);
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void slack_hands_over_the_user_token_from_authed_user_with_team_and_user_ids() {
        String recorded = """
                {"ok":true,"app_id":"A0KRD7HC3","authed_user":{"id":"U1234","scope":"chat:write,channels:history",
                "access_token":"xoxp-1234","token_type":"user"},"scope":"commands","token_type":"bot",
                "access_token":"xoxb-17653672481","bot_user_id":"U0KRQLJ9H","team":{"name":"Slack Softball Team",
                "id":"T9TK3CUKW"},"enterprise":null,"is_enterprise_install":false}""";
        try (FakeEndpoint slack = FakeEndpoint.answering(r -> Reply.json(200, recorded));
             RunningProxy proxy = proxyFor("slack", slack)) {
            HttpResponse<String> response = proxy.postForm("/oauth/token", codeExchange("slack"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"access_token\":\"xoxp-1234\",\"token_type\":\"user\","
                    + "\"scope\":\"chat:write,channels:history\",\"extras\":{\"app_id\":\"A0KRD7HC3\","
                    + "\"bot_access_token\":\"xoxb-17653672481\",\"bot_user_id\":\"U0KRQLJ9H\","
                    + "\"team_id\":\"T9TK3CUKW\",\"team_name\":\"Slack Softball Team\",\"user_id\":\"U1234\"}}");
            assertThat(slack.last().body()).endsWith("&client_id=1234.5678&client_secret=s3cr3t-value");
        }
    }

    @Test
    void slack_ok_false_on_http_200_is_an_error_carrying_slacks_code() {
        try (FakeEndpoint slack = FakeEndpoint.answering(r -> Reply.json(200, "{\"ok\":false,\"error\":\"invalid_code\"}"));
             RunningProxy proxy = proxyFor("slack", slack)) {
            HttpResponse<String> response = proxy.postForm("/oauth/token", codeExchange("slack"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("{\"error\":\"invalid_code\","
                    + "\"error_description\":\"slack refused the token request (invalid_code)\"}");
        }
    }

    @Test
    void slack_refuses_refresh_by_name_unless_token_rotation_is_configured() {
        try (FakeEndpoint slack = FakeEndpoint.answering(r -> Reply.json(200, "{}"));
             RunningProxy proxy = proxyFor("slack", slack)) {
            HttpResponse<String> response = proxy.postForm("/oauth/token",
                    Map.of("grant_type", "refresh_token", "provider", "slack", "refresh_token", "xoxe-1-abc"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).path("error").asText()).isEqualTo("unsupported_grant_type");
            assertThat(json(response).path("error_description").asText()).isEqualTo("slack tokens cannot be refreshed here; "
                    + "sign in again (set SLACK_REFRESH=true if the app now issues refresh tokens)");
            assertThat(slack.last()).as("nothing was sent to Slack").isNull();
        }
    }

    @Test
    void slack_with_token_rotation_refreshes_through_oauth_v2_access() {
        String rotated = "{\"ok\":true,\"access_token\":\"xoxe.xoxp-2\",\"refresh_token\":\"xoxe-1-next\","
                + "\"token_type\":\"user\",\"expires_in\":43200,\"team\":{\"id\":\"T9TK3CUKW\",\"name\":\"Softball\"}}";
        try (FakeEndpoint slack = FakeEndpoint.answering(r -> Reply.json(200, rotated));
             RunningProxy proxy = proxyFor("slack", slack, "SLACK_REFRESH", "true")) {
            HttpResponse<String> response = proxy.postForm("/oauth/token",
                    Map.of("grant_type", "refresh_token", "provider", "slack", "refresh_token", "xoxe-1-abc"));

            assertThat(response.body()).isEqualTo("{\"access_token\":\"xoxe.xoxp-2\",\"token_type\":\"user\","
                    + "\"expires_in\":43200,\"refresh_token\":\"xoxe-1-next\","
                    + "\"extras\":{\"team_id\":\"T9TK3CUKW\",\"team_name\":\"Softball\"}}");
            assertThat(slack.last().body()).startsWith("grant_type=refresh_token&refresh_token=xoxe-1-abc&");
        }
    }

    @Test
    void slack_revokes_through_auth_revoke_with_the_token_itself() {
        try (FakeEndpoint slack = FakeEndpoint.answering(r -> Reply.json(200, "{\"ok\":true,\"revoked\":true}"));
             RunningProxy proxy = proxyFor("slack", slack)) {
            HttpResponse<String> response = proxy.postForm("/oauth/revoke", Map.of("provider", "slack", "token", "xoxp-1234"));

            assertThat(response.body()).isEqualTo("{\"revoked\":true}");
            assertThat(slack.last().body()).isEqualTo("token=xoxp-1234");
            assertThat(slack.last().headers()).doesNotContainKey("authorization");
        }
    }

    @Test
    void slack_ok_false_from_auth_revoke_is_a_refusal_carrying_slacks_code() {
        try (FakeEndpoint slack = FakeEndpoint.answering(r -> Reply.json(200, "{\"ok\":false,\"error\":\"invalid_auth\"}"));
             RunningProxy proxy = proxyFor("slack", slack)) {
            HttpResponse<String> response = proxy.postForm("/oauth/revoke", Map.of("provider", "slack", "token", "xoxp-1234"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("{\"error\":\"invalid_auth\","
                    + "\"error_description\":\"slack refused the revocation (invalid_auth)\"}");
        }
    }

    @Test
    void github_is_asked_for_json_and_its_answer_is_normalized() {
        try (FakeEndpoint github = FakeEndpoint.answering(r -> "application/json".equals(r.headers().get("accept"))
                ? Reply.json(200, "{\"access_token\":\"gho_16C7e42F292c6912E7710c838347Ae178B4a\","
                        + "\"scope\":\"repo,gist\",\"token_type\":\"bearer\"}")
                : new Reply(200, "application/x-www-form-urlencoded; charset=utf-8", "error=wrong_accept"));
             RunningProxy proxy = proxyFor("github", github)) {
            HttpResponse<String> response = proxy.postForm("/oauth/token",
                    codeExchange("github", "http://127.0.0.1:53682/oauth/callback"));

            assertThat(response.body()).isEqualTo("{\"access_token\":\"gho_16C7e42F292c6912E7710c838347Ae178B4a\","
                    + "\"token_type\":\"bearer\",\"scope\":\"repo,gist\",\"extras\":{}}");
        }
    }

    @Test
    void github_form_encoded_answer_with_expiring_tokens_is_read_like_json() {
        String form = "access_token=ghu_16C7e42F&expires_in=28800&refresh_token=ghr_1B4a2e77&"
                + "refresh_token_expires_in=15811200&scope=&token_type=bearer";
        try (FakeEndpoint github = FakeEndpoint.answering(r -> new Reply(200, "application/x-www-form-urlencoded; charset=utf-8", form));
             RunningProxy proxy = proxyFor("github", github)) {
            HttpResponse<String> response = proxy.postForm("/oauth/token",
                    Map.of("grant_type", "refresh_token", "provider", "github", "refresh_token", "ghr_old"));

            assertThat(response.body()).isEqualTo("{\"access_token\":\"ghu_16C7e42F\",\"token_type\":\"bearer\","
                    + "\"expires_in\":28800,\"refresh_token\":\"ghr_1B4a2e77\",\"scope\":\"\","
                    + "\"extras\":{\"refresh_token_expires_in\":\"15811200\"}}");
        }
    }

    @Test
    void github_error_on_http_200_carries_githubs_code() {
        String form = "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired."
                + "&error_uri=https%3A%2F%2Fdocs.github.com";
        try (FakeEndpoint github = FakeEndpoint.answering(r -> new Reply(200, "application/x-www-form-urlencoded; charset=utf-8", form));
             RunningProxy proxy = proxyFor("github", github)) {
            HttpResponse<String> response = proxy.postForm("/oauth/token",
                    Map.of("grant_type", "refresh_token", "provider", "github", "refresh_token", "ghr_old"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("{\"error\":\"bad_verification_code\",\"error_description\":"
                    + "\"github refused the token request (bad_verification_code): The code passed is incorrect or expired.\"}");
        }
    }

    @Test
    void github_revokes_with_delete_on_the_applications_api() {
        try (FakeEndpoint github = FakeEndpoint.answering(r -> new Reply(204, "", ""));
             RunningProxy proxy = proxyFor("github", github)) {
            HttpResponse<String> response = proxy.postForm("/oauth/revoke", Map.of("provider", "github", "token", "gho_abc"));

            assertThat(response.body()).isEqualTo("{\"revoked\":true}");
            FakeEndpoint.Received sent = github.last();
            assertThat(sent.method()).isEqualTo("DELETE");
            assertThat(sent.path()).isEqualTo("/revoke/1234.5678/token");
            assertThat(sent.headers()).containsEntry("authorization", basic("1234.5678", "s3cr3t-value"));
            assertThat(sent.body()).isEqualTo("{\"access_token\":\"gho_abc\"}");
        }
    }

    @Test
    void notion_gets_basic_auth_and_a_json_body_and_names_the_workspace_and_user() {
        String recorded = """
                {"access_token":"ntn_abc","token_type":"bearer","refresh_token":"nrt_def","bot_id":"b-1",
                "workspace_name":"Acme","workspace_icon":null,"workspace_id":"w-1","owner":{"type":"user",
                "user":{"object":"user","id":"u-1","name":"Ada Lovelace","avatar_url":null,"type":"person",
                "person":{"email":"ada@acme.test"}}},"duplicated_template_id":null,"request_id":"r-1"}""";
        try (FakeEndpoint notion = FakeEndpoint.answering(r -> Reply.json(200, recorded));
             RunningProxy proxy = proxyFor("notion", notion)) {
            HttpResponse<String> response = proxy.postForm("/oauth/token", codeExchange("notion"));

            assertThat(response.body()).isEqualTo("{\"access_token\":\"ntn_abc\",\"token_type\":\"bearer\","
                    + "\"refresh_token\":\"nrt_def\",\"extras\":{\"bot_id\":\"b-1\",\"email\":\"ada@acme.test\","
                    + "\"name\":\"Ada Lovelace\",\"user_id\":\"u-1\",\"workspace_id\":\"w-1\",\"workspace_name\":\"Acme\"}}");
            FakeEndpoint.Received sent = notion.last();
            assertThat(sent.headers()).containsEntry("authorization", basic("1234.5678", "s3cr3t-value"))
                    .containsEntry("content-type", "application/json");
            assertThat(sent.body()).isEqualTo("{\"grant_type\":\"authorization_code\",\"code\":\"the-code\","
                    + "\"redirect_uri\":\"https://proxy.test/oauth/callback/notion\",\"code_verifier\":\"" + VERIFIER + "\"}");
        }
    }

    @Test
    void a_provider_without_a_revocation_endpoint_says_so_by_name() {
        try (RunningProxy proxy = RunningProxy.start(Map.of("JIRA_CLIENT_ID", "id", "JIRA_CLIENT_SECRET", "secret"))) {
            HttpResponse<String> response = proxy.postForm("/oauth/revoke", Map.of("provider", "jira", "token", "t"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("{\"error\":\"unsupported_token_type\",\"error_description\":"
                    + "\"jira has no token revocation endpoint; remove the app's access in the jira account settings\"}");
        }
    }
}
