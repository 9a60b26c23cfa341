package dev.latchkey.proxy;

import static dev.latchkey.proxy.RunningProxy.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Code exchange, refresh and revocation through the proxy against a real authorization server. */
class TokenExchangeTest {

    private static AuthorizationServer authServer;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() {
        authServer = new AuthorizationServer();
        proxy = RunningProxy.start(authServer.providerEnv("linear"));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        authServer.close();
    }

    static Map<String, String> codeExchange(String code, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("provider", "linear");
        form.put("code", code);
        form.put("redirect_uri", AuthorizationServer.REDIRECT_URI);
        form.put("code_verifier", verifier);
        return form;
    }

    private JsonNode exchangedTokens() {
        String verifier = AuthorizationServer.newVerifier();
        HttpResponse<String> response = proxy.postForm("/oauth/token", codeExchange(authServer.authorize(verifier), verifier));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    @Test
    void exchanges_a_code_and_its_pkce_verifier_for_tokens_in_the_normalized_shape() {
        String verifier = AuthorizationServer.newVerifier();
        HttpResponse<String> response = proxy.postForm("/oauth/token", codeExchange(authServer.authorize(verifier), verifier));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode tokens = json(response);
        assertThat(tokens.path("access_token").asText()).startsWith("ey");
        assertThat(tokens.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.path("expires_in").isInt()).isTrue();
        assertThat(tokens.path("refresh_token").asText()).isNotEmpty();
        assertThat(tokens.has("scope")).as("the server sent no scope, so none is made up").isFalse();
        assertThat(tokens.path("extras")).isEqualTo(Json.MAPPER.createObjectNode()
                .put("email", "alice@example.com").put("name", "Alice Example").put("user_id", "alice"));
    }

    @Test
    void accepts_the_same_fields_as_a_json_body() {
        String verifier = AuthorizationServer.newVerifier();
        String body = Json.MAPPER.valueToTree(codeExchange(authServer.authorize(verifier), verifier)).toString();

        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.url("/oauth/token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("extras").path("user_id").asText()).isEqualTo("alice");
    }

    @Test
    void refreshes_with_the_refresh_token_from_the_exchange() {
        JsonNode first = exchangedTokens();

        HttpResponse<String> response = proxy.postForm("/oauth/token", Map.of(
                "grant_type", "refresh_token", "provider", "linear", "refresh_token", first.path("refresh_token").asText()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode refreshed = json(response);
        assertThat(refreshed.path("access_token").asText()).startsWith("ey").isNotEqualTo(first.path("access_token").asText());
        assertThat(refreshed.path("token_type").asText()).isEqualTo("Bearer");
    }

    @Test
    void revokes_a_refresh_token_at_the_servers_revocation_endpoint() {
        String refreshToken = exchangedTokens().path("refresh_token").asText();

        HttpResponse<String> revoked = proxy.postForm("/oauth/revoke", Map.of(
                "provider", "linear", "token", refreshToken, "token_type_hint", "refresh_token"));

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(revoked.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(revoked.body()).isEqualTo("{\"revoked\":true}");
    }

    @Test
    void passes_on_the_servers_refusal_of_a_token_type_it_cannot_revoke() {
        String accessToken = exchangedTokens().path("access_token").asText();

        HttpResponse<String> response = proxy.postForm("/oauth/revoke", Map.of(
                "provider", "linear", "token", accessToken, "token_type_hint", "access_token"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).isEqualTo("unsupported_token_type");
        assertThat(json(response).path("error_description").asText()).startsWith("linear refused the revocation");
    }

    @Test
    void passes_the_resource_on_to_the_token_endpoint_in_the_exchange_and_the_refresh() {
        String resource = "https://mcp.example.com/mcp";
        String verifier = AuthorizationServer.newVerifier();
        Map<String, String> exchange = codeExchange(authServer.authorize(verifier), verifier);
        exchange.put("resource", resource);
        authServer.lastTokenRequestBody();

        HttpResponse<String> exchanged = proxy.postForm("/oauth/token", exchange);
        String exchangeSent = authServer.lastTokenRequestBody();
        HttpResponse<String> refreshed = proxy.postForm("/oauth/token", Map.of("grant_type", "refresh_token",
                "provider", "linear", "refresh_token", json(exchanged).path("refresh_token").asText(), "resource", resource));
        String refreshSent = authServer.lastTokenRequestBody();

        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        String encoded = "resource=" + UpstreamAnswer.encode(resource);
        assertThat(exchangeSent).contains("grant_type=authorization_code", "code_verifier=" + verifier, encoded,
                "client_secret=proxy-held-client-secret");
        assertThat(refreshSent).contains("grant_type=refresh_token", encoded, "client_secret=proxy-held-client-secret");
    }

    @Test
    void refuses_a_resource_that_is_not_an_absolute_uri_before_calling_the_server() {
        HttpResponse<String> response = proxy.postForm("/oauth/token", Map.of("grant_type", "refresh_token",
                "provider", "linear", "refresh_token", "r", "resource", "/mcp#part"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).isEqualTo(Json.MAPPER.createObjectNode().put("error", "invalid_request")
                .put("error_description", "resource must be an absolute URI without a fragment (RFC 8707 §2)"));
    }

    @Test
    void refuses_a_wrong_verifier_with_the_servers_invalid_grant() {
        String code = authServer.authorize(AuthorizationServer.newVerifier());

        HttpResponse<String> response = proxy.postForm("/oauth/token", codeExchange(code, AuthorizationServer.newVerifier()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(json(response).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(json(response).path("error_description").asText()).startsWith("linear refused the token request (invalid_grant)");
    }

    @Test
    void refuses_an_unknown_provider_and_lists_the_ones_it_serves() {
        HttpResponse<String> response = proxy.postForm("/oauth/token", Map.of(
                "grant_type", "refresh_token", "provider", "myspace", "refresh_token", "r"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).isEqualTo(Json.MAPPER.createObjectNode()
                .put("error", "invalid_request")
                .put("error_description", "unknown provider \"myspace\"; this proxy serves: linear"));
    }

    @Test
    void refuses_a_built_in_provider_that_is_not_configured() {
        HttpResponse<String> response = proxy.postForm("/oauth/token", Map.of(
                "grant_type", "refresh_token", "provider", "jira", "refresh_token", "r"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).isEqualTo(Json.MAPPER.createObjectNode()
                .put("error", "invalid_request")
                .put("error_description", "jira is not configured on this proxy (its client id and secret are not set)"));
    }
}
