package dev.latchkey.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * The checks every request to the local API passes before a handler sees it: the request must be
 * addressed to the loopback name (DNS-rebinding defence), carry the per-launch secret, and, when
 * it changes state, come from this app's own origin as JSON. Each refusal has its own code.
 */
final class LocalAccessGuard {

    static final String SESSION_COOKIE = "latchkey_session";
    private static final Set<HandlerType> STATE_CHANGING =
            Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    private static final Set<HandlerType> WITH_BODY = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH);

    private final byte[] secret;

    LocalAccessGuard(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The port the request really came in on: the socket's, never the Host header's. */
    private static int localPort(Context ctx) {
        return ctx.req().getLocalPort();
    }

    /** Every request, static files included: only the loopback name may be used to reach us. */
    void checkHost(Context ctx) {
        int port = localPort(ctx);
        String host = ctx.header("Host");
        if (host == null || !Set.of("127.0.0.1:" + port, "localhost:" + port).contains(host.toLowerCase(Locale.ROOT))) {
            throw new ApiException(403, "forbidden_host",
                    "this server answers only to 127.0.0.1:" + port + " or localhost:" + port + "; the Host header named something else");
        }
    }

    /** Requests under {@code /api}: the secret, then Origin and Content-Type for state changes. */
    void checkApi(Context ctx) {
        if (!isAuthorized(ctx)) {
            throw new ApiException(401, "unauthorized",
                    "missing or wrong API secret: open the link printed by latchkey, or send Authorization: Bearer <secret>");
        }
        if (STATE_CHANGING.contains(ctx.method())) {
            String origin = ctx.header("Origin");
            int port = localPort(ctx);
            if (origin != null && !Set.of("http://127.0.0.1:" + port, "http://localhost:" + port).contains(origin)) {
                throw new ApiException(403, "forbidden_origin", "requests that change state must come from this app's own page");
            }
        }
        if (WITH_BODY.contains(ctx.method())) {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new ApiException(415, "unsupported_media_type", "send the body as application/json");
            }
        }
    }

    /** True when {@code token} is this launch's secret (constant-time comparison). */
    boolean isSecret(String token) {
        return token != null && MessageDigest.isEqual(secret, token.getBytes(StandardCharsets.UTF_8));
    }

    private boolean isAuthorized(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            return isSecret(authorization.substring("Bearer ".length()));
        }
        return isSecret(ctx.cookie(SESSION_COOKIE));
    }
}
