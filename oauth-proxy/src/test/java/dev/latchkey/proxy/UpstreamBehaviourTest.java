package dev.latchkey.proxy;

import static dev.latchkey.proxy.RunningProxy.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.proxy.FakeEndpoint.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How the proxy answers when the provider misbehaves or refuses, against local endpoints that
 * answer the way such servers do.
 */
class UpstreamBehaviourTest {

    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    private static RunningProxy proxyTo(FakeEndpoint upstream) {
        return RunningProxy.start(Map.of("LINEAR_CLIENT_ID", "id", "LINEAR_CLIENT_SECRET", "the-client-secret",
                "LINEAR_TOKEN_URL", upstream.url("/oauth/token"), "UPSTREAM_TIMEOUT_MS", "400"));
    }

    /** One code exchange through a proxy started for it. */
    private static HttpResponse<String> exchange(FakeEndpoint upstream, String code) {
        try (RunningProxy proxy = proxyTo(upstream)) {
            return proxy.postForm("/oauth/token", form(code));
        }
    }

    private static Map<String, String> form(String code) {
        return Map.of("grant_type", "authorization_code", "provider", "linear", "code", code,
                "redirect_uri", "http://127.0.0.1:53682/oauth/callback", "code_verifier", VERIFIER);
    }

    @Test
    void answers_502_server_error_when_the_provider_fails_with_500() {
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> new Reply(500, "text/html", "<h1>Internal error</h1>"))) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(response.body()).isEqualTo(
                    "{\"error\":\"server_error\",\"error_description\":\"linear failed the token request (HTTP 500)\"}");
        }
    }

    @Test
    void answers_502_temporarily_unavailable_when_the_provider_is_down_for_maintenance() {
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> Reply.json(503, "{\"error\":\"temporarily_unavailable\"}"))) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(json(response).path("error").asText()).isEqualTo("temporarily_unavailable");
            assertThat(json(response).path("error_description").asText())
                    .isEqualTo("linear failed the token request (HTTP 503, temporarily_unavailable)");
        }
    }

    @Test
    void answers_504_as_an_oauth_error_when_the_provider_hangs() {
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> new Reply(-1, "", ""))) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).isEqualTo("{\"error\":\"temporarily_unavailable\","
                    + "\"error_description\":\"linear did not answer within 400 ms\"}");
        }
    }

    @Test
    void answers_502_when_the_provider_sends_malformed_json() {
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> Reply.json(200, "{\"access_token\": \"tok"))) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"error\":\"server_error\",\"error_description\":"
                    + "\"linear sent a token answer that is not JSON or a form (HTTP 200, application/json)\"}");
        }
    }

    @Test
    void answers_502_when_the_answer_has_no_access_token() {
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> Reply.json(200, "{\"token_type\":\"Bearer\"}"))) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(json(response).path("error_description").asText())
                    .isEqualTo("linear sent a token answer without access_token");
        }
    }

    @Test
    void answers_502_when_the_provider_cannot_be_reached() {
        FakeEndpoint closed = FakeEndpoint.answering(r -> Reply.json(200, "{}"));
        closed.close();

        HttpResponse<String> response = exchange(closed, "a-code");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo(
                "{\"error\":\"temporarily_unavailable\",\"error_description\":\"linear could not be reached\"}");
    }

    @Test
    void refuses_a_replayed_code_with_the_providers_invalid_grant_and_never_repeats_the_code() {
        Set<String> used = ConcurrentHashMap.newKeySet();
        // Like a strict server (RFC 6749 §4.1.2): a code works once, and its refusal quotes the code.
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> used.add(r.body())
                ? Reply.json(200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\"}")
                : Reply.json(400, "{\"error\":\"invalid_grant\",\"error_description\":"
                        + "\"code replayed-code was already used\"}"));
             RunningProxy proxy = proxyTo(upstream)) {
            HttpResponse<String> first = proxy.postForm("/oauth/token", form("replayed-code"));
            HttpResponse<String> replay = proxy.postForm("/oauth/token", form("replayed-code"));

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(replay.statusCode()).isEqualTo(400);
            assertThat(replay.body()).isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":"
                    + "\"linear refused the token request (invalid_grant): code [redacted] was already used\"}");
        }
    }

    @Test
    void answers_401_invalid_client_when_the_provider_refuses_the_proxys_credentials() {
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> Reply.json(401,
                "{\"error\":\"invalid_client\",\"error_description\":\"bad secret the-client-secret\"}"))) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).isEqualTo("{\"error\":\"invalid_client\",\"error_description\":"
                    + "\"linear refused the token request (invalid_client): bad secret [redacted]\"}");
        }
    }

    @Test
    void redacts_a_secret_that_the_300_character_cut_would_split() {
        String description = "x".repeat(290) + " the-client-secret";
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> Reply.json(400,
                "{\"error\":\"invalid_request\",\"error_description\":\"" + description + "\"}"))) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).doesNotContain("the-cl").contains("x".repeat(290) + " [redac");
        }
    }

    @Test
    void sends_client_secret_post_and_the_pkce_fields_as_a_form() {
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> Reply.json(200,
                "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"read\"}"))) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.body()).isEqualTo("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":3600,\"scope\":\"read\",\"extras\":{}}");
            FakeEndpoint.Received sent = upstream.last();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.headers()).containsEntry("content-type", "application/x-www-form-urlencoded")
                    .containsEntry("accept", "application/json").doesNotContainKey("authorization")
                    .doesNotContainKey("accept-encoding").doesNotContainKey("cookie");
            assertThat(sent.body()).isEqualTo("grant_type=authorization_code&code=a-code"
                    + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Foauth%2Fcallback&code_verifier=" + VERIFIER
                    + "&client_id=id&client_secret=the-client-secret");
        }
    }

    @Test
    void answers_504_when_the_provider_stalls_in_the_middle_of_its_answer() {
        try (FakeEndpoint upstream = FakeEndpoint.answeringRaw((received, exchange) -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("{\"access_token\":".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            FakeEndpoint.sleepQuietly();
        })) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).isEqualTo("{\"error\":\"temporarily_unavailable\","
                    + "\"error_description\":\"linear did not answer within 400 ms\"}");
        }
    }

    @Test
    void refuses_an_answer_over_256_kib_that_declares_its_length() {
        String huge = "{\"access_token\":\"" + "a".repeat(300_000) + "\"}";
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> Reply.json(200, huge))) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"error\":\"server_error\","
                    + "\"error_description\":\"linear sent an answer over 262144 bytes\"}");
        }
    }

    @Test
    void refuses_an_answer_over_256_kib_sent_without_a_length() {
        byte[] chunk = "a".repeat(16 * 1024).getBytes(StandardCharsets.UTF_8);
        try (FakeEndpoint upstream = FakeEndpoint.answeringRaw((received, exchange) -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"access_token\":\"".getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 20; i++) {
                    out.write(chunk);
                }
                out.write("\"}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException abortedByTheProxy) {
                // The proxy closes the connection once the answer passes the cap.
            }
        })) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"error\":\"server_error\","
                    + "\"error_description\":\"linear sent an answer over 262144 bytes\"}");
        }
    }

    @Test
    void does_not_follow_a_redirect_from_the_provider() {
        List<String> paths = new CopyOnWriteArrayList<>();
        try (FakeEndpoint upstream = FakeEndpoint.answeringRaw((received, exchange) -> {
            paths.add(received.path());
            exchange.getResponseHeaders().set("Location", "/somewhere-else");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        })) {
            HttpResponse<String> response = exchange(upstream, "a-code");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"error\":\"server_error\","
                    + "\"error_description\":\"linear failed the token request (HTTP 302)\"}");
            assertThat(paths).containsExactly("/oauth/token");
        }
    }

    @Test
    void keeps_one_upstream_connection_alive_across_exchanges() {
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> Reply.json(200, "{\"access_token\":\"at-1\"}"));
             RunningProxy proxy = proxyTo(upstream)) {
            Set<Integer> clientPorts = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                assertThat(proxy.postForm("/oauth/token", form("code-" + i)).statusCode()).isEqualTo(200);
                clientPorts.add(upstream.last().clientPort());
            }

            assertThat(clientPorts).hasSize(1);
        }
    }

    @Test
    void never_sends_a_cookie_that_a_provider_set_for_another_users_exchange() {
        try (FakeEndpoint upstream = FakeEndpoint.answeringRaw((received, exchange) -> {
            byte[] body = "{\"access_token\":\"at-1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Set-Cookie", "session=first-user; Path=/");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }); RunningProxy proxy = proxyTo(upstream)) {
            proxy.postForm("/oauth/token", form("first-users-code"));
            proxy.postForm("/oauth/token", form("second-users-code"));

            assertThat(upstream.last().body()).contains("code=second-users-code");
            assertThat(upstream.last().headers()).doesNotContainKey("cookie");
        }
    }
}
