package dev.latchkey.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The proxy's HTTP client towards providers: connect and request timeouts, a cap on the answer's
 * size, and failures turned into OAuth errors that name the provider and nothing secret.
 */
final class Upstream {

    /** A token answer is a few kilobytes; anything near this is not a token answer. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    Upstream(Duration connectTimeout, Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // HTTP/1.1 so plain-http test endpoints get no h2c upgrade attempt; TLS endpoints keep alive all the same.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newCachedThreadPool(daemonThreads()))
                .build();
    }

    /** A request builder with this client's request timeout. */
    HttpRequest.Builder request(java.net.URI url) {
        return HttpRequest.newBuilder(url).timeout(timeout);
    }

    UpstreamAnswer send(ProviderName provider, HttpRequest request) {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new OAuthError(504, "temporarily_unavailable",
                    provider + " did not answer within " + timeout.toMillis() + " ms").failure();
        } catch (IOException e) {
            throw new OAuthError(502, "temporarily_unavailable", provider + " could not be reached").failure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthError(502, "temporarily_unavailable", provider + " call was interrupted").failure();
        }
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new OAuthError(502, "server_error", provider + " sent an answer over "
                        + MAX_ANSWER_BYTES + " bytes").failure();
            }
            return new UpstreamAnswer(provider, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), bytes);
        } catch (HttpTimeoutException e) {
            throw new OAuthError(504, "temporarily_unavailable",
                    provider + " did not finish its answer within " + timeout.toMillis() + " ms").failure();
        } catch (IOException e) {
            throw new OAuthError(502, "temporarily_unavailable", provider + " broke off its answer").failure();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "upstream-http");
            thread.setDaemon(true);
            return thread;
        };
    }
}
