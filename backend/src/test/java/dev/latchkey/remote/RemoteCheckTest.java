package dev.latchkey.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code latchkey remote-check} against a real local site that plays the resource server and an
 * authorization server approving at once: how it ends when the server still refuses.
 */
class RemoteCheckTest {

    private FakeSite site;
    private final AtomicInteger authorizations = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        site = new FakeSite();
        String o = site.url("").toString();
        site.on("/.well-known/oauth-protected-resource/mcp", FakeSite.Answer.json(
                "{\"resource\":\"" + o + "/mcp\",\"authorization_servers\":[\"" + o + "\"]}"));
        site.on("/.well-known/oauth-authorization-server", FakeSite.Answer.json("{\"issuer\":\"" + o + "\","
                + "\"authorization_endpoint\":\"" + o + "/authorize\",\"token_endpoint\":\"" + o + "/token\","
                + "\"registration_endpoint\":\"" + o + "/register\",\"code_challenge_methods_supported\":[\"S256\"]}"));
        site.on("/register", FakeSite.Answer.status(201, "{\"client_id\":\"c-1\"}"));
        site.on("/authorize", (method, query, body) -> {
            authorizations.incrementAndGet();
            Map<String, String> params = LoopbackCallback.query(query);
            String back = params.get("redirect_uri") + "?code=k&state=" + params.get("state");
            return new FakeSite.Answer(302, Map.of("Location", back), "", 0);
        });
        site.on("/token", FakeSite.Answer.json("{\"access_token\":\"t-" + System.nanoTime() + "\",\"token_type\":\"Bearer\"}"));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void a_401_right_after_a_fresh_token_ends_with_the_servers_error_after_one_sign_in() {
        site.on("/mcp", new FakeSite.Answer(401, Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\", "
                + "error_description=\"audience mismatch\", resource_metadata=\"" + site.url("/.well-known/oauth-protected-resource/mcp")
                + "\""), "", 0));
        String result = SignInRefusalsTest.run(site.url("/mcp").toString());
        assertEquals("1||remote-check: the server refused Latchkey's token again (HTTP 401: invalid_token: audience mismatch);"
                + " sign in again", result);
        assertEquals(1, authorizations.get());
    }

    @Test
    void a_403_that_asks_for_no_new_scope_is_not_signed_in_again() {
        site.on("/mcp", new FakeSite.Answer(403, Map.of("WWW-Authenticate", "Bearer error=\"insufficient_scope\", "
                + "scope=\"a\""), "", 0));
        String result = SignInRefusalsTest.run(site.url("/mcp").toString());
        assertEquals("1||remote-check: the server refused Latchkey's token again (HTTP 403: insufficient_scope); sign in again",
                result);
        assertEquals(0, authorizations.get());
    }

    @Test
    void a_url_that_is_not_https_off_loopback_is_refused_before_anything_is_asked() {
        assertEquals("2||remote-check: http://mcp.example/mcp is not an https URL (plain http is allowed on 127.0.0.1 only)",
                SignInRefusalsTest.run("http://mcp.example/mcp"));
    }
}
