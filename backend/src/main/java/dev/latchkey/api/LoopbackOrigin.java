package dev.latchkey.api;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one Host and Origin check of this server, for {@code /api}, the page and {@code /mcp} alike
 * ({@link LocalAccessGuard}, {@link McpEndpoint}). {@code port} is always the socket's local port,
 * never taken from the request.
 */
final class LoopbackOrigin {

    private LoopbackOrigin() {
    }

    /**
     * Only the loopback name may be used to reach us (DNS-rebinding defence: a hostile page that
     * rebinds its own name to 127.0.0.1 still sends its own name as Host).
     */
    static Optional<ApiError> refuseHost(int port, String host) {
        if (host != null && Set.of("127.0.0.1:" + port, "localhost:" + port).contains(host.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of(new ApiError("forbidden_host",
                "this server answers only to 127.0.0.1:" + port + " or localhost:" + port + "; the Host header named something else"));
    }

    /** A foreign {@code Origin} or a {@code Sec-Fetch-Site} other than {@code same-origin} is refused. */
    static Optional<ApiError> refuseOrigin(int port, String origin, String fetchSite) {
        if (origin != null && !ownOrigin(port, origin) || fetchSite != null && !sameOrigin(fetchSite)) {
            return Optional.of(new ApiError("forbidden_origin", "requests that change state must come from this app's own page"));
        }
        return Optional.empty();
    }

    static boolean ownOrigin(int port, String origin) {
        return origin != null && Set.of("http://127.0.0.1:" + port, "http://localhost:" + port).contains(origin);
    }

    static boolean sameOrigin(String fetchSite) {
        return "same-origin".equals(fetchSite);
    }
}
