package dev.latchkey.remote;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The {@link Browser} of {@code latchkey remote-check}: it asks for the authorization URL itself
 * and follows the authorization server's redirects (at most five) until one goes to the loopback
 * callback, which it then calls, as a browser would; an authorization server that approves at
 * once (a test server, the conformance suite's) completes with no person. One that shows a page
 * instead gets a person: the URL is printed and the callback awaited.
 */
final class HeadlessBrowser implements Browser {

    private static final Duration PERSON = Duration.ofMinutes(5);

    private final LoopbackCallback callback;
    private final HttpClient http;
    private final Duration timeout;
    private final PrintStream err;

    HeadlessBrowser(LoopbackCallback callback, Duration timeout, PrintStream err) {
        this.callback = callback;
        this.timeout = timeout;
        this.err = err;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    @Override
    public URI redirectUri() {
        return callback.redirectUri();
    }

    @Override
    public Map<String, String> authorize(URI authorizationUrl, String state) {
        callback.expect(state);
        URI next = authorizationUrl;
        String redirect = redirectUri().toString();
        try {
            for (int hop = 0; hop < 6; hop++) {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(next).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                String location = response.headers().firstValue("Location").orElse(null);
                if (next.toString().startsWith(redirect) || location == null || hop == 5) {
                    break;
                }
                next = next.resolve(location);
            }
        } catch (java.io.IOException e) {
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE,
                    "the authorization endpoint " + Origins.origin(authorizationUrl) + " could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE, "the sign-in was interrupted");
        }
        if (!next.toString().startsWith(redirect)) {
            err.println("Open this address in a browser to sign in: " + authorizationUrl);
            return callback.await(state, PERSON);
        }
        return callback.await(state, timeout);
    }
}
