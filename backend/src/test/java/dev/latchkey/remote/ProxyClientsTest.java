package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.oauth.Pkce;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registration step (a) against a local site that plays the OAuth proxy's HTTP face where the real
 * proxy cannot misbehave on cue (it hangs, it is gone); the whole flow with the real proxy is the
 * e2e module's {@code ProxiedSignInTest}.
 */
class ProxyClientsTest {

    private static final URI DEAD_PROXY = URI.create("http://127.0.0.1:9");
    private final FakeSite site = new FakeSite();

    ProxyClientsTest() throws java.io.IOException {
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void names_the_proxys_app_for_an_issuer_it_lists_and_compares_issuers_as_exact_strings() {
        site.on("/oauth/providers", FakeSite.Answer.json("{\"providers\":[\"acme\",\"other\"],"
                + "\"client_ids\":{\"acme\":\"acme-id\",\"other\":\"other-id\"},\"issuers\":{\"acme\":\"https://as.example\"}}"));
        ProxyIssuers proxy = new ProxyIssuers(site.url("/"), new AuthHttp(Duration.ofSeconds(5)), Clock.systemUTC());

        assertThat(proxy.forIssuer(URI.create("https://as.example"))).contains(RemoteClient.proxied("acme-id", "acme"));
        assertThat(proxy.forIssuer(URI.create("https://as.example/"))).isEmpty();
        assertThat(proxy.forIssuer(URI.create("https://elsewhere.example"))).isEmpty();
    }

    @Test
    void keeps_using_the_proxys_last_list_when_it_goes_away() {
        site.on("/oauth/providers", FakeSite.Answer.json(
                "{\"providers\":[\"acme\"],\"client_ids\":{\"acme\":\"acme-id\"},\"issuers\":{\"acme\":\"https://as.example\"}}"));
        dev.latchkey.MovableClock clock = new dev.latchkey.MovableClock(java.time.Instant.parse("2026-12-07T00:00:00Z"));
        ProxyIssuers proxy = new ProxyIssuers(site.url(""), new AuthHttp(Duration.ofSeconds(5)), clock);
        proxy.forIssuer(URI.create("https://as.example"));
        site.on("/oauth/providers", FakeSite.Answer.status(500, "{}"));
        clock.now = clock.now.plus(ProxyIssuers.KEPT).plusSeconds(1);

        assertThat(proxy.forIssuer(URI.create("https://as.example"))).contains(RemoteClient.proxied("acme-id", "acme"));
        assertThat(site.paths()).containsExactly("/oauth/providers", "/oauth/providers");
    }

    @Test
    void a_proxy_that_failed_is_asked_again_only_after_a_minute() {
        site.on("/oauth/providers", FakeSite.Answer.status(500, "{}"));
        dev.latchkey.MovableClock clock = new dev.latchkey.MovableClock(java.time.Instant.parse("2026-12-07T00:00:00Z"));
        ProxyIssuers proxy = new ProxyIssuers(site.url(""), new AuthHttp(Duration.ofSeconds(5)), clock);
        String sentence = "the OAuth proxy at " + site.url("") + " did not list its providers";

        assertThatThrownBy(() -> proxy.forIssuer(URI.create("https://as.example"))).hasMessage(sentence);
        site.on("/oauth/providers", FakeSite.Answer.json(
                "{\"providers\":[\"acme\"],\"client_ids\":{\"acme\":\"acme-id\"},\"issuers\":{\"acme\":\"https://as.example\"}}"));
        assertThatThrownBy(() -> proxy.forIssuer(URI.create("https://as.example"))).hasMessage(sentence);
        clock.now = clock.now.plus(ProxyIssuers.KEPT).plusSeconds(1);

        assertThat(proxy.forIssuer(URI.create("https://as.example"))).contains(RemoteClient.proxied("acme-id", "acme"));
        assertThat(site.paths()).containsExactly("/oauth/providers", "/oauth/providers");
    }

    @Test
    void a_proxy_that_cannot_be_asked_does_not_stop_dynamic_registration_and_is_named_when_nothing_else_works() {
        site.on("/register", FakeSite.Answer.status(201, "{\"client_id\":\"dcr-1\"}"));
        AuthHttp http = new AuthHttp(Duration.ofSeconds(5));
        Registrar registrar = new Registrar(http, new ProxyIssuers(DEAD_PROXY, http, Clock.systemUTC()),
                RegisteredClients.inMemory(), Optional.empty());

        assertThat(registrar.client(as(Optional.of(site.url("/register"))), URI.create("http://127.0.0.1:1/oauth/callback"),
                Optional.empty()).clientId()).isEqualTo("dcr-1");
        Registrar unregistered = new Registrar(http, new ProxyIssuers(DEAD_PROXY, http, Clock.systemUTC()),
                RegisteredClients.inMemory(), Optional.empty());
        assertThatThrownBy(() -> unregistered.client(as(Optional.empty()), URI.create("http://127.0.0.1:1/oauth/callback"),
                Optional.empty())).hasMessage("the authorization server https://as.example offers no dynamic registration: enter "
                + "the client id of an app registered there (and the OAuth proxy's provider list at "
                + "http://127.0.0.1:9/oauth/providers could not be reached (ConnectException), which may hold one)");
    }

    @Test
    void an_install_signed_in_as_the_proxys_app_refreshes_as_it_whatever_the_proxy_lists_now() {
        AuthHttp http = new AuthHttp(Duration.ofSeconds(5));
        Registrar registrar = new Registrar(http, new ProxyIssuers(DEAD_PROXY, http, Clock.systemUTC()),
                RegisteredClients.inMemory(), Optional.of(URI.create("https://proxy.example/client-metadata.json")));
        Map<String, String> remembered = Registrar.remembered(RemoteClient.proxied("acme-id", "acme"));

        assertThat(remembered).isEqualTo(Map.of("proxyProvider", "acme", "clientId", "acme-id"));
        assertThat(registrar.signedInAs(as(Optional.empty()), remembered)).isEqualTo(RemoteClient.proxied("acme-id", "acme"));
        assertThat(Registrar.remembered(RemoteClient.publicClient("c"))).isEmpty();
    }

    @Test
    void sends_the_exchange_to_the_proxy_under_its_apps_name_with_the_resource_and_no_client_credentials() {
        site.on("/oauth/token", FakeSite.Answer.json("{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":60}"));
        Tokens tokens = new TokenClient(new AuthHttp(Duration.ofSeconds(5)), site.url("/")).exchange(URI.create("https://as.example/token"),
                RemoteClient.proxied("acme-id", "acme"), "the-code", Pkce.generate(),
                URI.create("http://127.0.0.1:1/oauth/callback"), URI.create("https://mcp.example/mcp"));

        assertThat(tokens.accessToken()).isEqualTo("at");
        assertThat(site.heard).singleElement().satisfies(h -> {
            assertThat(h.path()).isEqualTo("/oauth/token");
            assertThat(h.authorization()).isNull();
            assertThat(h.body()).contains("grant_type=authorization_code", "code=the-code", "code_verifier=",
                    "resource=" + AuthHttp.encode("https://mcp.example/mcp"), "provider=acme").doesNotContain("client_id");
        });
    }

    @Test
    void gives_up_on_a_proxy_that_does_not_answer_within_the_time_limit() {
        site.on("/oauth/token", new FakeSite.Answer(200, Map.of(), "{}", 5_000));
        TokenClient tokens = new TokenClient(new AuthHttp(Duration.ofSeconds(1)), site.url(""));

        assertThatThrownBy(() -> tokens.refresh(URI.create("https://as.example/token"), RemoteClient.proxied("acme-id", "acme"),
                "rt", URI.create("https://mcp.example/mcp")))
                .isInstanceOfSatisfying(RemoteAuthException.class, e -> assertThat(e.reason())
                        .isEqualTo(RemoteAuthException.Reason.UNREACHABLE))
                .hasMessage("the OAuth proxy at " + site.url("/oauth/token") + " did not answer within 1 s");
    }

    private static AuthServerMetadata as(Optional<URI> registration) {
        return new AuthServerMetadata(URI.create("https://as.example"), URI.create("https://as.example/authorize"),
                URI.create("https://as.example/token"), registration, Optional.empty(), List.of("none"), List.of(), false, false);
    }
}
