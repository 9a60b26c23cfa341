package dev.latchkey.remote;

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
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The HTTP of a remote sign-in: metadata GETs, registration and token POSTs. Every answer is
 * read up to {@link #MAX_BODY} bytes (a larger one is refused, not cut), every request has a time
 * limit, and a redirect is followed only within the same origin, at most three times (a metadata
 * document must not send Latchkey elsewhere; RFC 9728 §3, RFC 8414 §3).
 */
final class AuthHttp {

    /** Metadata, registration and token answers are small; 256 KiB is far above any real one. */
    static final int MAX_BODY = 256 * 1024;
    private static final int MAX_REDIRECTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Duration timeout;

    AuthHttp(Duration timeout) {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        this.timeout = timeout;
    }

    /** An answer: the status and the body parsed as JSON (a {@code MissingNode} when it is not JSON). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** A GET of a JSON document; empty when the answer is not 200 with a JSON object (a probe tries the next URL). */
    Optional<JsonNode> getJson(URI uri, String what) {
        Answer answer = send(HttpRequest.newBuilder(uri).GET().header("Accept", "application/json"), uri, what, 0);
        if (answer.status() != 200) {
            return Optional.empty();
        }
        if (!answer.body().isObject()) {
            throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA,
                    "the " + what + " at " + uri + " is not a JSON object");
        }
        return Optional.of(answer.body());
    }

    /** A POST of a form ({@code application/x-www-form-urlencoded}), with extra headers. */
    Answer postForm(URI uri, Map<String, String> form, Map<String, String> headers, String what) {
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        headers.forEach(request::header);
        return send(request, uri, what, MAX_REDIRECTS);
    }

    /** A POST of a JSON body. */
    Answer postJson(URI uri, JsonNode body, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        return send(request, uri, what, MAX_REDIRECTS);
    }

    /** @param redirects how many redirects were followed so far; POSTs start at the limit: never followed */
    private Answer send(HttpRequest.Builder request, URI uri, String what, int redirects) {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE,
                    "the " + what + " at " + uri + " did not answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE,
                    "the " + what + " at " + uri + " could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE, "the " + what + " request was interrupted");
        }
        int status = response.statusCode();
        if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
            close(response);
            URI next = uri.resolve(response.headers().firstValue("Location").get());
            if (redirects >= MAX_REDIRECTS || !Origins.sameOrigin(uri, next)) {
                throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, "the " + what + " at " + uri
                        + " redirects to " + Origins.origin(next) + (Origins.sameOrigin(uri, next)
                        ? " too many times" : "; Latchkey follows redirects within the same origin only"));
            }
            return send(HttpRequest.newBuilder(next).GET().header("Accept", "application/json"), next, what, redirects + 1);
        }
        return new Answer(status, parse(read(response, uri, what)));
    }

    private static byte[] read(HttpResponse<InputStream> response, URI uri, String what) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, "the " + what + " at " + uri
                        + " is larger than " + MAX_BODY / 1024 + " KiB; Latchkey does not read it");
            }
            return bytes;
        } catch (IOException e) {
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE,
                    "the " + what + " at " + uri + " broke off its answer (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the redirect's body is not needed
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static ObjectMapper json() {
        return JSON;
    }
}
