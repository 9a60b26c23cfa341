package dev.latchkey.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.provider.SessionCheck;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Asks a service whether a browser session still works, as its provider's {@link SessionCheck}
 * says. Only an answer that is not a working session's counts against the session: a network
 * error, a timeout, HTTP 429 or a 5xx say nothing about it ({@link SessionHealth.Unreachable}).
 * Never logs, returns or throws a value.
 */
public final class SessionChecks {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<HttpClient> http;

    /** @param http the client the checks go out with (no redirects followed: a redirect to a login page is an answer) */
    public SessionChecks(HttpClient http) {
        this.http = () -> http;
    }

    private SessionChecks(Supplier<HttpClient> http) {
        this.http = http;
    }

    /**
     * Checks over the network as it is, with a client made at the first check, not during the
     * app's start (see ProxyClient: the first HttpClient of a JVM sets up TLS).
     */
    public static SessionChecks direct() {
        return new SessionChecks(() -> Direct.CLIENT);
    }

    /** Holds the direct client; made when first asked for (class initialization). */
    private static final class Direct {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Runs {@code check} with the session's {@code values}. */
    public SessionHealth check(SessionCheck check, Map<String, String> values) {
        HttpRequest.Builder request = HttpRequest.newBuilder(check.url()).timeout(TIMEOUT)
                .method(check.method(), HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json");
        check.headers(values).forEach(request::header);
        String host = check.url().getHost();
        HttpResponse<String> response;
        try {
            response = http.get().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new SessionHealth.Unreachable("could not reach " + host + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SessionHealth.Unreachable("the check of " + host + " was interrupted");
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            return new SessionHealth.Unreachable(host + " answered HTTP " + status);
        }
        JsonNode body = parse(response.body());
        Optional<String> problem = check.healthyWhen().problem(status, body);
        return problem.<SessionHealth>map(p -> new SessionHealth.Failing(host + " refused the session: " + p))
                .orElseGet(() -> new SessionHealth.Healthy(check.accountLabel(body)));
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
