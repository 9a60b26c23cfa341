package dev.latchkey.api;

import dev.latchkey.definition.Unguessable;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time loopback links to an OAuth authorization URL: {@code http://127.0.0.1:PORT/oauth/go/<opaque>},
 * good once and for {@link #LIFETIME}, answered by a redirect to the URL. What the page, the app
 * window and {@code xdg-open} open instead of the authorization URL, whose {@code state} and PKCE
 * challenge would otherwise sit on a command line that every local user can read in {@code /proc}.
 * Kept in memory only. Knows nothing of HTTP.
 */
final class SignInLinks {

    /** How long a link may wait before it is opened. */
    static final Duration LIFETIME = Duration.ofMinutes(2);

    private record Link(URI target, Instant expires) {
    }

    private final Clock clock;
    private final Map<String, Link> links = new ConcurrentHashMap<>();

    SignInLinks(Clock clock) {
        this.clock = clock;
    }

    /** A fresh link on {@code port} that leads once to {@code authorizationUrl}. */
    URI issue(int port, URI authorizationUrl) {
        Instant now = clock.instant();
        links.values().removeIf(link -> !link.expires().isAfter(now));
        String opaque = Unguessable.token();
        links.put(opaque, new Link(authorizationUrl, now.plus(LIFETIME)));
        return URI.create("http://127.0.0.1:" + port + "/oauth/go/" + opaque);
    }

    /** Uses up the link {@code opaque}: where it leads, or empty when it was never made, was used, or expired. */
    Optional<URI> take(String opaque) {
        Link link = opaque == null ? null : links.remove(opaque);
        if (link == null || !link.expires().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(link.target());
    }
}
