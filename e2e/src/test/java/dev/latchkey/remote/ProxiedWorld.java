package dev.latchkey.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.api.ApiClient;
import dev.latchkey.proxy.ProxyConfig;
import dev.latchkey.proxy.ProxyServer;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A remote MCP server whose authorization server has no dynamic registration and whose client is
 * held by the OAuth proxy, all real and on 127.0.0.1: mock-oauth2-server (auto-approving, PKCE,
 * refresh, revocation) as the authorization server; the real proxy holding the app {@code acme}
 * registered there ({@code ACME_ISSUER} names its issuer); the real server-everything behind a
 * resource server that takes only tokens the authorization server signed (checked against its JWKS)
 * and whose protected-resource metadata names that issuer; the Latchkey backend on a fresh data dir.
 */
final class ProxiedWorld implements AutoCloseable {

    static final String CLIENT_ID = "latchkey-proxied";
    static final String CLIENT_SECRET = "proxy-held-secret-7f3a9c";

    final MockOAuth2Server authServer = new MockOAuth2Server(new OAuth2Config(false));
    final EverythingOverHttp everything;
    final FakeSite site;
    final URI issuer;
    final int proxyPort = freePort();
    private Javalin proxy;
    Backend backend;
    ApiClient api;
    private final ObjectMapper json = new ObjectMapper();
    final Path dataDir;

    ProxiedWorld(Path dataDir) throws Exception {
        this.dataDir = dataDir;
        authServer.start(InetAddress.getByName("127.0.0.1"), 0);
        issuer = URI.create(loopback(authServer.issuerUrl("default").toString()));
        everything = EverythingOverHttp.start("streamableHttp");
        site = new FakeSite();
        String o = site.url("").toString();
        site.on("/.well-known/oauth-protected-resource/mcp", FakeSite.Answer.json(
                "{\"resource\":\"" + o + "/mcp\",\"authorization_servers\":[\"" + issuer + "\"],\"scopes_supported\":[\"openid\"]}"));
        site.onRaw("/mcp", new GuardedRelay(everything.url(), this::signedByTheAuthorizationServer,
                site.url("/.well-known/oauth-protected-resource/mcp")));
    }

    /** Starts the proxy with {@code acme} exchanging at {@code tokenUrl}, then the app on the proxy. */
    ProxiedWorld start(String tokenUrl) {
        startProxy(tokenUrl);
        // The longest refresh margin: the authorization server's hour-long tokens are due at once.
        backend = Backend.start(new AppConfig(dataDir, 0, URI.create(proxyUrl()), AppConfig.MAX_REFRESH_MARGIN));
        api = new ApiClient(backend.port(), backend.secret());
        return this;
    }

    ProxiedWorld start() {
        return start(tokenEndpoint());
    }

    String tokenEndpoint() {
        return loopback(authServer.tokenEndpointUrl("default").toString());
    }

    void startProxy(String tokenUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(proxyPort));
        env.put("RATE_LIMIT_PER_MINUTE", "1000000");
        env.put("UPSTREAM_TIMEOUT_MS", "3000");
        env.put("ACME_CLIENT_ID", CLIENT_ID);
        env.put("ACME_CLIENT_SECRET", CLIENT_SECRET);
        env.put("ACME_TOKEN_URL", tokenUrl);
        env.put("ACME_REVOKE_URL", loopback(authServer.revocationEndpointUrl("default").toString()));
        env.put("ACME_ISSUER", issuer.toString());
        proxy = ProxyServer.create(ProxyConfig.fromEnvironment(env)).start("127.0.0.1", proxyPort);
    }

    void stopProxy() {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    String proxyUrl() {
        return "http://127.0.0.1:" + proxyPort;
    }

    /** Adds the server by URL; answers the install's body ({@code id}, {@code status}, {@code signInUrl}). */
    JsonNode addByUrl(String name) throws IOException {
        HttpResponse<String> created = api.post("/api/installs", json.writeValueAsString(
                Map.of("remoteUrl", site.url("/mcp").toString(), "displayName", name)));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("POST /api/installs answered " + created.statusCode() + ": " + created.body());
        }
        return json.readTree(created.body());
    }

    /** What a browser does with the sign-in link: follows every redirect, into the app's loopback callback. */
    HttpResponse<String> browse(String url) throws IOException, InterruptedException {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The requests the authorization server got since the last call, oldest first. */
    List<RecordedRequest> heardAtTheAuthorizationServer() {
        List<RecordedRequest> heard = new java.util.ArrayList<>();
        while (true) {
            try {
                heard.add(authServer.takeRequest(300, TimeUnit.MILLISECONDS));
            } catch (RuntimeException none) {
                return heard; // it throws once nothing more was recorded
            }
        }
    }

    /** The resource server's check: a JWT the authorization server signed, for its issuer, not expired. */
    private Set<String> signedByTheAuthorizationServer() {
        return new AbstractSet<>() {
            @Override
            public boolean contains(Object token) {
                try {
                    SignedJWT jwt = SignedJWT.parse((String) token);
                    JWKSet keys = JWKSet.load(URI.create(loopback(authServer.jwksUrl("default").toString())).toURL());
                    RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
                    return key != null && jwt.verify(new RSASSAVerifier(key))
                            && issuer.toString().equals(jwt.getJWTClaimsSet().getIssuer())
                            && jwt.getJWTClaimsSet().getExpirationTime().after(new java.util.Date());
                } catch (Exception e) {
                    return false;
                }
            }

            @Override
            public Iterator<String> iterator() {
                return Collections.emptyIterator();
            }

            @Override
            public int size() {
                return 0;
            }
        };
    }

    static String loopback(String url) {
        return url.replaceFirst("//[^/:]+:", "//127.0.0.1:");
    }

    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (backend != null) {
            backend.close();
        }
        stopProxy();
        site.close();
        everything.close();
        authServer.shutdown();
    }
}
