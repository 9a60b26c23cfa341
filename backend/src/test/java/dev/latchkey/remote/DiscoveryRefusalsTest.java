package dev.latchkey.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery against a real local server: the order of the probes, and each bad server's one sentence. */
class DiscoveryRefusalsTest {

    private FakeSite site;
    private Discovery discovery;
    private URI server;

    @BeforeEach
    void start() throws Exception {
        site = new FakeSite();
        discovery = new Discovery(new AuthHttp(Duration.ofSeconds(2)));
        server = site.url("/mcp");
    }

    @AfterEach
    void stop() {
        site.close();
    }

    private String prm(String resource, String authServer) {
        return "{\"resource\":\"" + resource + "\",\"authorization_servers\":[\"" + authServer + "\"]}";
    }

    private String as(String issuer, String pkce) {
        return "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/authorize\","
                + "\"token_endpoint\":\"" + issuer + "/token\"" + (pkce == null ? "" : ",\"code_challenge_methods_supported\":[" + pkce + "]")
                + "}";
    }

    private String origin() {
        return site.url("").toString();
    }

    @Test
    void probes_the_path_aware_metadata_first_then_the_root_then_the_authorization_server_in_order() {
        site.on(Discovery.PRM, FakeSite.Answer.json(prm(origin(), origin() + "/tenant")));
        site.on("/tenant/.well-known/openid-configuration", FakeSite.Answer.json(as(origin() + "/tenant", "\"S256\"")));
        Discovery.Target target = discovery.discover(server, Challenge.NONE);
        assertEquals(List.of("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource",
                "/.well-known/oauth-authorization-server/tenant", "/.well-known/openid-configuration/tenant",
                "/tenant/.well-known/openid-configuration"), site.paths());
        assertEquals(URI.create(origin()), target.resourceIndicator());
    }

    @Test
    void a_server_with_no_protected_resource_metadata_is_refused_naming_the_urls_tried() {
        RemoteAuthException e = assertThrows(RemoteAuthException.class, () -> discovery.discover(server, Challenge.NONE));
        assertEquals("the server at " + server + " asks for a sign-in but publishes no protected-resource metadata (tried "
                + origin() + "/.well-known/oauth-protected-resource/mcp, " + origin() + "/.well-known/oauth-protected-resource)",
                e.getMessage());
    }

    @Test
    void metadata_that_is_not_a_json_object_is_refused() {
        site.on("/.well-known/oauth-protected-resource/mcp", FakeSite.Answer.json("[1, 2]"));
        assertEquals("the protected-resource metadata at " + origin() + "/.well-known/oauth-protected-resource/mcp"
                + " is not a JSON object", refusal());
    }

    @Test
    void metadata_for_another_resource_is_refused() {
        site.on("/.well-known/oauth-protected-resource/mcp", FakeSite.Answer.json(prm(origin() + "/other", origin())));
        assertEquals("the protected-resource metadata at " + origin() + "/.well-known/oauth-protected-resource/mcp is for "
                + origin() + "/other, not for " + server
                + "; Latchkey does not sign in to a server another one speaks for", refusal());
    }

    @Test
    void an_authorization_server_on_plain_http_off_loopback_is_refused() {
        site.on("/.well-known/oauth-protected-resource/mcp", FakeSite.Answer.json(prm(server.toString(), "http://as.example.com")));
        assertEquals("the authorization server http://as.example.com is not https (plain http is allowed on 127.0.0.1 and"
                + " localhost only)", refusal());
    }

    @Test
    void an_authorization_server_without_S256_is_refused() {
        site.on("/.well-known/oauth-protected-resource/mcp", FakeSite.Answer.json(prm(server.toString(), origin())));
        site.on("/.well-known/oauth-authorization-server", FakeSite.Answer.json(as(origin(), "\"plain\"")));
        assertEquals("the authorization server " + origin() + " does not offer PKCE with S256 (code_challenge_methods_supported:"
                + " plain); Latchkey does not sign in without it", refusal());
    }

    @Test
    void metadata_naming_another_issuer_is_refused() {
        site.on("/.well-known/oauth-protected-resource/mcp", FakeSite.Answer.json(prm(server.toString(), origin())));
        site.on("/.well-known/oauth-authorization-server", FakeSite.Answer.json(as("https://attacker.example", "\"S256\"")));
        assertEquals("the authorization server metadata at " + origin() + "/.well-known/oauth-authorization-server names the"
                + " issuer https://attacker.example, not " + origin() + " (RFC 8414 §3.3)", refusal());
    }

    @Test
    void oversized_metadata_is_not_read() {
        String big = "{\"resource\":\"" + server + "\",\"pad\":\"" + "x".repeat(AuthHttp.MAX_BODY) + "\"}";
        site.on("/.well-known/oauth-protected-resource/mcp", FakeSite.Answer.json(big));
        assertEquals("the protected-resource metadata at " + origin() + "/.well-known/oauth-protected-resource/mcp is larger"
                + " than 256 KiB; Latchkey does not read it", refusal());
    }

    @Test
    void a_redirect_to_another_origin_is_not_followed() throws Exception {
        try (FakeSite elsewhere = new FakeSite()) {
            elsewhere.on("/prm", FakeSite.Answer.json(prm(server.toString(), origin())));
            site.on("/.well-known/oauth-protected-resource/mcp", new FakeSite.Answer(302,
                    java.util.Map.of("Location", elsewhere.url("/prm").toString()), "", 0));
            assertEquals("the protected-resource metadata at " + origin() + "/.well-known/oauth-protected-resource/mcp"
                    + " redirects to " + elsewhere.url("") + "; Latchkey follows redirects within the same origin only",
                    refusal());
            assertEquals(List.of(), elsewhere.heard);
        }
    }

    @Test
    void a_challenge_naming_metadata_on_another_origin_is_refused() {
        Challenge challenge = Challenge.parse(List.of("Bearer resource_metadata=\"https://evil.example/prm\""));
        RemoteAuthException e = assertThrows(RemoteAuthException.class, () -> discovery.discover(server, challenge));
        assertEquals("the server at " + server + " names its resource metadata on another origin (https://evil.example)",
                e.getMessage());
    }

    @Test
    void metadata_that_does_not_answer_in_time_is_a_timeout_not_a_hang() {
        site.on("/.well-known/oauth-protected-resource/mcp", new FakeSite.Answer(200, java.util.Map.of(), "{}", 5_000));
        RemoteAuthException e = assertThrows(RemoteAuthException.class, () -> discovery.discover(server, Challenge.NONE));
        assertEquals(RemoteAuthException.Reason.UNREACHABLE, e.reason());
        assertEquals("the protected-resource metadata at " + origin() + "/.well-known/oauth-protected-resource/mcp"
                + " did not answer within 2 s", e.getMessage());
    }

    private String refusal() {
        return assertThrows(RemoteAuthException.class, () -> discovery.discover(server, Challenge.NONE)).getMessage();
    }
}
