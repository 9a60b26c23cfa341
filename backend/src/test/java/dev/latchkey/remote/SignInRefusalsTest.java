package dev.latchkey.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latchkey.oauth.Pkce;
import io.modelcontextprotocol.common.McpTransportContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration, the token endpoint and the callback against a real local server: each refusal's sentence. */
class SignInRefusalsTest {

    private FakeSite site;
    private AuthHttp http;

    @BeforeEach
    void start() throws Exception {
        site = new FakeSite();
        http = new AuthHttp(Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    private AuthServerMetadata as(boolean registration, boolean iss) {
        String o = site.url("").toString();
        return new AuthServerMetadata(URI.create(o), URI.create(o + "/authorize"), URI.create(o + "/token"),
                registration ? Optional.of(URI.create(o + "/register")) : Optional.empty(), Optional.empty(),
                List.of("none"), List.of(), false, iss);
    }

    private Registrar registrar(RegisteredClients clients) {
        return new Registrar(http, ProxyClients.NONE, clients, Optional.empty());
    }

    @Test
    void a_refused_registration_asks_for_a_client_id() {
        site.on("/register", FakeSite.Answer.status(400, "{\"error\":\"invalid_client_metadata\",\"error_description\":\"no\"}"));
        RemoteAuthException e = assertThrows(RemoteAuthException.class, () -> registrar(RegisteredClients.inMemory())
                .client(as(true, false), URI.create("http://127.0.0.1:1/oauth/callback"), Optional.empty()));
        assertEquals(RemoteAuthException.Reason.NO_CLIENT, e.reason());
        assertEquals("the authorization server " + site.url("") + " refused to register Latchkey (HTTP 400:"
                + " invalid_client_metadata: no): enter the client id of an app registered there", e.getMessage());
    }

    @Test
    void a_server_without_registration_asks_for_a_client_id() {
        RemoteAuthException e = assertThrows(RemoteAuthException.class, () -> registrar(RegisteredClients.inMemory())
                .client(as(false, false), URI.create("http://127.0.0.1:1/oauth/callback"), Optional.empty()));
        assertEquals("the authorization server " + site.url("") + " offers no dynamic registration: enter the client id"
                + " of an app registered there", e.getMessage());
    }

    @Test
    void a_registered_client_is_kept_per_issuer_and_reused() {
        site.on("/register", FakeSite.Answer.status(201, "{\"client_id\":\"c-1\"}"));
        RegisteredClients clients = RegisteredClients.inMemory();
        URI redirect = URI.create("http://127.0.0.1:1/oauth/callback");
        RemoteClient first = registrar(clients).client(as(true, false), redirect, Optional.empty());
        RemoteClient second = registrar(clients).client(as(true, false), redirect, Optional.empty());
        assertEquals(first, second);
        assertEquals("none", first.authMethod());
        assertEquals(1, site.heard.size());
        assertTrue(site.heard.get(0).body().contains("\"redirect_uris\":[\"" + redirect + "\"]"), site.heard.get(0).body());
    }

    @Test
    void a_token_endpoint_that_fails_is_refused_with_its_status() {
        site.on("/token", FakeSite.Answer.status(500, "oops"));
        RemoteAuthException e = assertThrows(RemoteAuthException.class, () -> exchange());
        assertEquals("the token endpoint " + site.url("/token") + " refused the sign-in (HTTP 500)", e.getMessage());
    }

    @Test
    void a_token_endpoint_that_hangs_is_a_timeout() {
        site.on("/token", new FakeSite.Answer(200, Map.of(), "{}", 4_000));
        RemoteAuthException e = assertThrows(RemoteAuthException.class, () -> exchange());
        assertEquals(RemoteAuthException.Reason.UNREACHABLE, e.reason());
        assertEquals("the token endpoint at " + site.url("/token") + " did not answer within 1 s", e.getMessage());
    }

    @Test
    void a_refresh_refused_with_invalid_grant_says_so_and_the_request_carries_the_resource() {
        site.on("/token", FakeSite.Answer.status(400, "{\"error\":\"invalid_grant\"}"));
        RemoteAuthException e = assertThrows(RemoteAuthException.class, () -> new TokenClient(http).refresh(
                site.url("/token"), RemoteClient.publicClient("c"), "r-1", URI.create("https://mcp.example/mcp")));
        assertEquals(RemoteAuthException.Reason.INVALID_GRANT, e.reason());
        assertEquals("grant_type=refresh_token&refresh_token=r-1&resource=https%3A%2F%2Fmcp.example%2Fmcp&client_id=c",
                site.heard.get(0).body());
    }

    @Test
    void an_iss_from_another_issuer_is_refused_and_a_missing_one_when_it_was_promised() {
        AuthorizationRequest promised = request(as(true, true));
        RemoteAuthException wrong = assertThrows(RemoteAuthException.class,
                () -> promised.code(Map.of("code", "c", "iss", "https://attacker.example")));
        assertEquals("the sign-in came back from the issuer https://attacker.example, not from " + site.url("")
                + " (RFC 9207): it may be a mix-up attack, nothing was stored", wrong.getMessage());
        assertThrows(RemoteAuthException.class, () -> promised.code(Map.of("code", "c")));
        assertEquals("c", request(as(true, false)).code(Map.of("code", "c")));
    }

    @Test
    void the_token_goes_to_the_servers_origin_only() {
        BearerAuth auth = new BearerAuth(URI.create("https://mcp.example/mcp"), new BearerAuth.Tokens() {
            public Optional<String> current() {
                return Optional.of("t-1");
            }

            public boolean unauthorized(Challenge c) {
                return false;
            }

            public boolean insufficientScope(Challenge c) {
                return false;
            }
        });
        HttpRequest.Builder own = HttpRequest.newBuilder(URI.create("https://mcp.example/mcp"));
        auth.customize(own, "POST", URI.create("https://mcp.example/mcp"), "", McpTransportContext.EMPTY);
        HttpRequest.Builder other = HttpRequest.newBuilder(URI.create("https://other.example/mcp"));
        auth.customize(other, "POST", URI.create("https://other.example/mcp"), "", McpTransportContext.EMPTY);
        assertEquals(Optional.of("Bearer t-1"), own.build().headers().firstValue("Authorization"));
        assertFalse(other.build().headers().firstValue("Authorization").isPresent());
    }

    private AuthorizationRequest request(AuthServerMetadata as) {
        Discovery.Target target = new Discovery.Target(URI.create("https://mcp.example/mcp"),
                new ResourceMetadata(URI.create("https://mcp.example/mcp"), List.of(as.issuer()), List.of()), as);
        return new AuthorizationRequest(target, RemoteClient.publicClient("c"), URI.create("http://127.0.0.1:1/cb"), "s",
                Pkce.generate(), Optional.empty());
    }

    private Tokens exchange() {
        return new TokenClient(http).exchange(site.url("/token"), RemoteClient.publicClient("c"), "code",
                Pkce.generate(), URI.create("http://127.0.0.1:1/cb"), URI.create("https://mcp.example/mcp"));
    }

    static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = RemoteCheck.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return exit + "|" + out.toString(StandardCharsets.UTF_8).trim() + "|" + err.toString(StandardCharsets.UTF_8).trim();
    }
}
