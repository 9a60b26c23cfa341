package dev.latchkey.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OAuth 2.0 / OpenID Connect authorization server (mock-oauth2-server) on 127.0.0.1: it
 * checks PKCE, single-use codes, refresh tokens and revocation. Signs in {@code alice} without a form.
 */
final class AuthorizationServer implements AutoCloseable {

    static final String REDIRECT_URI = "http://127.0.0.1:53682/oauth/callback";
    private static final String ISSUER = "default";

    private final MockOAuth2Server server = new MockOAuth2Server();

    AuthorizationServer() {
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The environment that points the proxy's provider {@code name} at this server. */
    Map<String, String> providerEnv(String name) {
        String prefix = new ProviderName(name).envPrefix();
        return Map.of(
                prefix + "_CLIENT_ID", "latchkey-desktop",
                prefix + "_CLIENT_SECRET", "proxy-held-client-secret",
                prefix + "_TOKEN_URL", loopback(server.tokenEndpointUrl(ISSUER).toString()),
                prefix + "_REVOKE_URL", loopback(server.revocationEndpointUrl(ISSUER).toString()));
    }

    /** Runs the front-channel part (what a browser does) and returns the authorization code. */
    String authorize(String verifier) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, "alice", "JWT", List.of("latchkey-desktop"),
                Map.of("email", "alice@example.com", "name", "Alice Example"), 3600));
        URI authorize = URI.create(loopback(server.authorizationEndpointUrl(ISSUER).toString())
                + "?client_id=latchkey-desktop&response_type=code&scope=openid+email"
                + "&redirect_uri=" + UpstreamAnswer.encode(REDIRECT_URI) + "&state=s1"
                + "&code_challenge=" + challenge(verifier) + "&code_challenge_method=S256");
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.discarding());
            String location = response.headers().firstValue("Location").orElseThrow(
                    () -> new IllegalStateException("no redirect from the authorization endpoint: " + response.statusCode()));
            String query = URI.create(location).getRawQuery();
            for (String pair : query.split("&")) {
                if (pair.startsWith("code=")) {
                    return java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                }
            }
            throw new IllegalStateException("no code in the redirect");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String newVerifier() {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static String challenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body of the last token request this server was sent (what the proxy passed on), or null. */
    String lastTokenRequestBody() {
        String body = null;
        while (true) {
            okhttp3.mockwebserver.RecordedRequest request;
            try {
                request = server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (RuntimeException none) {
                return body; // it throws when nothing more was recorded
            }
            if (request.getPath() != null && request.getPath().endsWith("/token")) {
                body = request.getBody().readUtf8();
            }
        }
    }

    /** The server names itself by host name; the proxy allows plain http only on 127.0.0.1. */
    private static String loopback(String url) {
        return url.replaceFirst("//[^/:]+:", "//127.0.0.1:");
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
