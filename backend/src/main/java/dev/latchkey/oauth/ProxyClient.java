package dev.latchkey.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The desktop side of the OAuth proxy's API (docs/oauth-proxy.md): {@code POST /oauth/token} for
 * code exchange and refresh, {@code POST /oauth/revoke}, {@code GET /oauth/providers}. Every call
 * has a timeout and reads at most {@link #MAX_ANSWER_BYTES}; every answer becomes a {@link ProxyAnswer}
 * value here, at the edge. Nothing it
 * says, logs or throws carries a token.
 */
public final class ProxyClient {

    /** The proxy's own upstream timeout is 10 s; waiting a little longer lets it answer first. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** An uninstall waits for the revocation; it should not wait long. */
    private static final Duration REVOKE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What is read of an answer at most: the proxy's own cap on a provider's answer is 256 KiB too. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;

    private final URI base;
    private final Duration requestTimeout;

    public ProxyClient(URI proxyUrl) {
        this(proxyUrl, REQUEST_TIMEOUT);
    }

    ProxyClient(URI proxyUrl, Duration requestTimeout) {
        String url = proxyUrl.toString();
        this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.requestTimeout = requestTimeout;
    }

    /**
     * The client every ProxyClient sends with, made at the first request rather than during the
     * app's start: the first HttpClient of a JVM sets up TLS; made later, the backend was up 60–140 ms
     * sooner (docs/benchmarks.md, "JCEF window").
     */
    private static final class Shared {
        static final HttpClient HTTP = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI url() {
        return base;
    }

    /** The proxy's relay page for {@code provider}: the redirect_uri of providers that need HTTPS. */
    URI relayCallback(String provider) {
        return URI.create(base + "/oauth/callback/" + provider);
    }

    /** RFC 6749 §4.1.3 with RFC 7636 §4.5: the code, the verifier and the same redirect_uri. */
    ProxyAnswer exchange(String provider, String code, Pkce pkce, URI redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("provider", provider);
        form.put("code", code);
        form.put("redirect_uri", redirectUri.toString());
        form.put("code_verifier", pkce.verifier());
        return tokens(post("/oauth/token", form, requestTimeout));
    }

    /**
     * RFC 6749 §6. A caller that lost the answer retries with the same {@code refreshToken} (as
     * {@link TokenRefresher} does): the proxy kept the answer for that token, which a provider that
     * rotates refresh tokens has already made dead.
     */
    ProxyAnswer refresh(String provider, String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("provider", provider);
        form.put("refresh_token", refreshToken);
        return tokens(post("/oauth/token", form, requestTimeout));
    }

    /** RFC 7009 §2.1. */
    ProxyAnswer revoke(String provider, String token, String tokenTypeHint) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("provider", provider);
        form.put("token", token);
        form.put("token_type_hint", tokenTypeHint);
        Reply reply = post("/oauth/revoke", form, REVOKE_TIMEOUT);
        return reply.answer() != null ? reply.answer() : new ProxyAnswer.Revoked();
    }

    /** The providers the proxy serves, each with its public client id; or why it could not tell. */
    ProxyDirectory directory() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/oauth/providers"))
                .timeout(LIST_TIMEOUT).header("Accept", "application/json").GET().build();
        try {
            Received response = send(request);
            JsonNode body = response.statusCode() == 200 ? parse(response.body()) : null;
            if (body == null || !body.path("providers").isArray()) {
                return ProxyDirectory.unreachable(base, "answered HTTP " + response.statusCode()
                        + " without a provider list; is " + base + " a Latchkey OAuth proxy?");
            }
            Map<String, String> clientIds = new TreeMap<>();
            body.get("providers").forEach(name -> clientIds.put(name.asText(),
                    body.path("client_ids").path(name.asText()).asText("")));
            return ProxyDirectory.reached(base, clientIds);
        } catch (IOException e) {
            return ProxyDirectory.unreachable(base, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProxyDirectory.unreachable(base, "interrupted");
        }
    }

    /** An answer from the proxy: a refusal or an unavailability already parsed, or the 200 body. */
    private record Reply(ProxyAnswer answer, JsonNode body) {
    }

    private Reply post(String path, Map<String, String> form, Duration timeout) {
        String body = form.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Received response;
        try {
            response = send(request);
        } catch (IOException e) {
            return new Reply(new ProxyAnswer.Unavailable("the OAuth proxy at " + base + " " + describe(e)), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(new ProxyAnswer.Unavailable("interrupted while waiting for the OAuth proxy"), null);
        }
        JsonNode json = parse(response.body());
        int status = response.statusCode();
        if (status == 200 && json != null) {
            return new Reply(null, json);
        }
        String error = json == null ? null : json.path("error").asText(null);
        String description = json == null ? null : json.path("error_description").asText(null);
        if (status >= 400 && status < 500 && status != 429 && error != null) {
            return new Reply(new ProxyAnswer.Refused(status, error, description == null ? error : description), null);
        }
        return new Reply(new ProxyAnswer.Unavailable("the OAuth proxy answered HTTP " + status
                + (error == null ? "" : " " + error) + (description == null ? "" : ": " + description)), null);
    }

    private static ProxyAnswer tokens(Reply reply) {
        if (reply.answer() != null) {
            return reply.answer();
        }
        JsonNode body = reply.body();
        String accessToken = body.path("access_token").asText(null);
        if (accessToken == null || accessToken.isEmpty()) {
            return new ProxyAnswer.Unavailable("the OAuth proxy answered without an access_token");
        }
        JsonNode expiresIn = body.get("expires_in");
        Map<String, String> extras = new TreeMap<>();
        body.path("extras").fields().forEachRemaining(field -> {
            if (field.getValue().isValueNode()) {
                extras.put(field.getKey(), field.getValue().asText());
            }
        });
        return new ProxyAnswer.Tokens(accessToken, body.path("refresh_token").asText(null),
                expiresIn != null && expiresIn.canConvertToLong() ? expiresIn.asLong() : null, extras);
    }

    /** An answer read whole, up to {@link #MAX_ANSWER_BYTES}. */
    private record Received(int statusCode, String body) {
    }

    /** An answer past {@link #MAX_ANSWER_BYTES}, of which no more is read. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("answer over " + MAX_ANSWER_BYTES + " bytes", null);
        }
    }

    private static Received send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = Shared.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new TooLarge();
            }
            return new Received(response.statusCode(), new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode tree = body == null || body.isEmpty() ? null : JSON.readTree(body);
            return tree != null && tree.isObject() ? tree : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(IOException e) {
        if (e instanceof TooLarge) {
            return "answered more than " + MAX_ANSWER_BYTES / 1024 + " KiB, more than any answer of an OAuth proxy";
        }
        if (e instanceof HttpTimeoutException) {
            return "did not answer in time";
        }
        if (e instanceof java.net.ConnectException) {
            return "refused the connection (is it running?)";
        }
        return "could not be reached (" + e.getClass().getSimpleName() + ")";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
