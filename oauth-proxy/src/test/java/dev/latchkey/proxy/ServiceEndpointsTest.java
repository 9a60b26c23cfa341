package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /health}, {@code /oauth/providers} and CORS. */
class ServiceEndpointsTest {

    private static final Map<String, String> TWO_PROVIDERS = Map.of(
            "SLACK_CLIENT_ID", "slack-public-id", "SLACK_CLIENT_SECRET", "slack-secret-value",
            "GITHUB_CLIENT_ID", "github-public-id", "GITHUB_CLIENT_SECRET", "github-secret-value");

    @Test
    void reports_health() {
        try (RunningProxy proxy = RunningProxy.start(Map.of())) {
            HttpResponse<String> response = proxy.get("/health");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
        }
    }

    @Test
    void lists_the_registered_providers_sorted_with_their_public_client_ids_and_without_secrets() {
        try (RunningProxy proxy = RunningProxy.start(TWO_PROVIDERS)) {
            HttpResponse<String> response = proxy.get("/oauth/providers");

            assertThat(response.body()).isEqualTo("{\"providers\":[\"github\",\"slack\"],"
                    + "\"client_ids\":{\"github\":\"github-public-id\",\"slack\":\"slack-public-id\"},\"issuers\":{}}");
        }
    }

    @Test
    void names_the_authorization_server_issuer_of_each_app_configured_with_one() {
        Map<String, String> env = new java.util.HashMap<>(TWO_PROVIDERS);
        env.put("GITHUB_ISSUER", "https://github.com/login/oauth");
        try (RunningProxy proxy = RunningProxy.start(env)) {
            HttpResponse<String> response = proxy.get("/oauth/providers");

            assertThat(RunningProxy.json(response).path("issuers").toString())
                    .isEqualTo("{\"github\":\"https://github.com/login/oauth\"}");
            assertThat(response.body()).doesNotContain("secret-value");
        }
    }

    @Test
    void serves_the_apps_client_metadata_document_whose_client_id_is_its_own_url() {
        try (RunningProxy proxy = RunningProxy.start(Map.of())) {
            HttpResponse<String> response = proxy.get("/client-metadata.json");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=3600");
            assertThat(response.headers().firstValue("Pragma")).isEmpty();
            assertThat(response.body()).isEqualTo("{\"client_id\":\"https://proxy.test/client-metadata.json\","
                    + "\"client_name\":\"Latchkey\",\"redirect_uris\":[\"http://127.0.0.1/oauth/callback\"],"
                    + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
                    + "\"token_endpoint_auth_method\":\"none\",\"application_type\":\"native\"}");
        }
    }

    @Test
    void keeps_cors_closed_when_no_origin_is_configured() {
        try (RunningProxy proxy = RunningProxy.start(TWO_PROVIDERS)) {
            HttpResponse<String> preflight = proxy.send(HttpRequest.newBuilder(proxy.url("/oauth/token"))
                    .header("Origin", "http://127.0.0.1:5173").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
            HttpResponse<String> get = proxy.send(HttpRequest.newBuilder(proxy.url("/oauth/providers"))
                    .header("Origin", "http://127.0.0.1:5173").build());

            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
            // No preflight route exists, so the OPTIONS request is an unknown endpoint.
            assertThat(preflight.statusCode()).isEqualTo(404);
            assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void opens_cors_to_the_configured_origin_only() {
        try (RunningProxy proxy = RunningProxy.start(Map.of("CORS_ORIGIN", "http://127.0.0.1:5173"))) {
            HttpResponse<String> allowed = proxy.send(HttpRequest.newBuilder(proxy.url("/oauth/token"))
                    .header("Origin", "http://127.0.0.1:5173").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
            HttpResponse<String> other = proxy.send(HttpRequest.newBuilder(proxy.url("/oauth/token"))
                    .header("Origin", "https://evil.example").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());

            assertThat(allowed.statusCode()).isEqualTo(204);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("http://127.0.0.1:5173");
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).contains("POST");
            assertThat(other.statusCode()).isEqualTo(403);
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }
}
