package dev.latchkey.proxy;

import static dev.latchkey.proxy.RunningProxy.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the proxy refuses before it ever calls a provider; the provider here is unreachable on purpose. */
class RequestValidationTest {

    private static RunningProxy proxy;

    @BeforeAll
    static void start() {
        proxy = RunningProxy.start(Map.of("SLACK_CLIENT_ID", "id", "SLACK_CLIENT_SECRET", "secret",
                "SLACK_TOKEN_URL", "http://127.0.0.1:9/never", "RATE_LIMIT_PER_MINUTE", "1000"));
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static Map<String, String> exchange(String key, String value) {
        Map<String, String> form = new HashMap<>(Map.of("grant_type", "authorization_code", "provider", "slack",
                "code", "c", "redirect_uri", "http://127.0.0.1:53682/oauth/callback",
                "code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        form.put(key, value);
        return form;
    }

    private static void assertRefused(HttpResponse<String> response, int status, String error, String description) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(json(response).path("error").asText()).isEqualTo(error);
        assertThat(json(response).path("error_description").asText()).isEqualTo(description);
    }

    private static final String VERIFIER_RULE = "code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)";
    private static final String REDIRECT_RULE = "redirect_uri must be http://127.0.0.1:PORT/…, http://[::1]:PORT/… or "
            + "https://proxy.test/oauth/callback/<provider>";

    @Test
    void rejects_a_verifier_shorter_than_43_characters() {
        assertRefused(proxy.postForm("/oauth/token", exchange("code_verifier", "a".repeat(42))), 400, "invalid_request", VERIFIER_RULE);
    }

    @Test
    void rejects_a_verifier_longer_than_128_characters() {
        assertRefused(proxy.postForm("/oauth/token", exchange("code_verifier", "a".repeat(129))), 400, "invalid_request", VERIFIER_RULE);
    }

    @Test
    void rejects_a_verifier_with_a_character_outside_the_unreserved_set() {
        assertRefused(proxy.postForm("/oauth/token", exchange("code_verifier", "a".repeat(42) + "+")), 400, "invalid_request", VERIFIER_RULE);
    }

    @Test
    void rejects_a_redirect_uri_on_another_site() {
        assertRefused(proxy.postForm("/oauth/token", exchange("redirect_uri", "https://evil.example/oauth/callback")),
                400, "invalid_request", REDIRECT_RULE);
    }

    @Test
    void rejects_a_loopback_redirect_by_host_name_or_without_a_port() {
        assertRefused(proxy.postForm("/oauth/token", exchange("redirect_uri", "http://localhost:53682/cb")),
                400, "invalid_request", REDIRECT_RULE);
        assertRefused(proxy.postForm("/oauth/token", exchange("redirect_uri", "http://127.0.0.1/cb")),
                400, "invalid_request", REDIRECT_RULE);
    }

    @Test
    void rejects_the_proxys_callback_of_another_provider() {
        assertRefused(proxy.postForm("/oauth/token", exchange("redirect_uri", "https://proxy.test/oauth/callback/notion")),
                400, "invalid_request", REDIRECT_RULE);
    }

    @Test
    void accepts_an_ipv6_loopback_redirect_and_goes_on_to_the_provider() {
        HttpResponse<String> response = proxy.postForm("/oauth/token", exchange("redirect_uri", "http://[::1]:53682/oauth/callback"));

        assertRefused(response, 502, "temporarily_unavailable", "slack could not be reached");
    }

    @Test
    void rejects_a_missing_parameter_by_name() {
        Map<String, String> form = exchange("code", "c");
        form.remove("code");
        assertRefused(proxy.postForm("/oauth/token", form), 400, "invalid_request", "missing \"code\" parameter");
    }

    @Test
    void rejects_an_unknown_grant_type() {
        assertRefused(proxy.postForm("/oauth/token", exchange("grant_type", "password")), 400, "unsupported_grant_type",
                "grant_type must be authorization_code or refresh_token");
    }

    @Test
    void rejects_a_parameter_given_twice() {
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.url("/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&provider=slack&provider=github&refresh_token=r"))
                .build());
        assertRefused(response, 400, "invalid_request", "\"provider\" is given more than once");
    }

    @Test
    void rejects_a_body_that_is_neither_form_nor_json() {
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.url("/oauth/token"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build());
        assertRefused(response, 415, "invalid_request", "the body must be application/x-www-form-urlencoded or application/json");
    }

    @Test
    void rejects_an_oversized_body_with_413() {
        assertRefused(proxy.postForm("/oauth/token", exchange("code", "c".repeat(20_000))), 413, "invalid_request",
                "the request body is larger than 16384 bytes");
    }

    @Test
    void rejects_an_oversized_body_sent_without_a_length() {
        byte[] chunk = ("grant_type=refresh_token&refresh_token=" + "r".repeat(17_000)).getBytes();
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.url("/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(chunk))).build());
        assertRefused(response, 413, "invalid_request", "the request body is larger than 16384 bytes");
    }

    /** A body without a declared length is read to its end: the field it is refused for comes last. */
    @Test
    void reads_a_body_sent_without_a_length_to_its_end() {
        byte[] chunk = ("grant_type=authorization_code&provider=slack&code=c"
                + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Foauth%2Fcallback&code_verifier=" + "a".repeat(42)).getBytes();
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.url("/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(chunk))).build());
        assertRefused(response, 400, "invalid_request", VERIFIER_RULE);
    }

    @Test
    void rejects_an_unknown_token_type_hint() {
        assertRefused(proxy.postForm("/oauth/revoke", Map.of("provider", "slack", "token", "t", "token_type_hint", "id_token")),
                400, "unsupported_token_type", "token_type_hint must be access_token or refresh_token");
    }

    @Test
    void rejects_a_provider_name_that_cannot_be_one() {
        assertRefused(proxy.postForm("/oauth/token", exchange("provider", "Slack<script>")), 400, "invalid_request",
                "unknown provider: a provider name is lower-case letters, digits and single dashes, got \"Slack<script>\"");
    }

    @Test
    void limits_requests_per_client_address_with_429_and_retry_after() {
        try (RunningProxy limited = RunningProxy.start(Map.of("RATE_LIMIT_PER_MINUTE", "3"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(limited.get("/oauth/providers").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> fourth = limited.get("/oauth/providers");

            assertThat(fourth.statusCode()).isEqualTo(429);
            assertThat(json(fourth).path("error").asText()).isEqualTo("slow_down");
            assertThat(Integer.parseInt(fourth.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
            assertThat(limited.get("/health").statusCode()).as("health checks are not limited").isEqualTo(200);
        }
    }
}
