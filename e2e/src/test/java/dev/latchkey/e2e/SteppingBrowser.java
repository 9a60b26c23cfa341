package dev.latchkey.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** A browser that stops at each redirect, to hold a sign-in link or a callback URL in hand. */
final class SteppingBrowser {

    private final HttpClient stepping = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    private final OAuthWorld world;

    SteppingBrowser(OAuthWorld world) {
        this.world = world;
    }

    /** Signs in at the authorization server and stops before the callback: its URL, code and state in hand. */
    URI callbackUrl(JsonNode started) {
        HttpResponse<String> redirect = get(URI.create(started.path("authorizationUrl").asText()));
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        return URI.create(redirect.headers().firstValue("Location").orElseThrow());
    }

    /** The app's loopback callback (on the port it listens on now) with {@code query}. */
    URI loopbackCallback(String query) {
        return URI.create("http://127.0.0.1:" + world.appPort + "/oauth/callback?" + query);
    }

    /** One request, its redirect not followed. */
    HttpResponse<String> get(URI url) {
        try {
            return stepping.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> query(URI url) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
    }
}
