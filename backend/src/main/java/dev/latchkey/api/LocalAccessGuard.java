package dev.latchkey.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * The checks every request to the local API passes before a handler sees it: the request must be
 * addressed to the loopback name (DNS-rebinding defence) and carry either the API secret (scripts)
 * or the page's session cookie; a state change from the page must show it comes from the page
 * itself, and a body must be JSON. Each refusal has its own code (docs/api.md).
 */
final class LocalAccessGuard {

    private static final String COOKIE_PREFIX = "latchkey_session_";
    private static final Set<HandlerType> STATE_CHANGING =
            Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    private static final Set<HandlerType> WITH_BODY = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH);

    /** Who is calling: a program with the API secret, the page with its session cookie, or neither. */
    private enum Caller { PROGRAM, PAGE, NOBODY }

    private final byte[] secret;
    private final PageSessions sessions;

    LocalAccessGuard(String secret, PageSessions sessions) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.sessions = sessions;
    }

    /**
     * The page's cookie is named with the port: every {@code 127.0.0.1} port is one site to a
     * browser, so two Latchkeys (or any other local server) never see or replace each other's.
     */
    static String cookieName(int port) {
        return COOKIE_PREFIX + port;
    }

    /** The port the request really came in on: the socket's, never the Host header's. */
    private static int localPort(Context ctx) {
        return ctx.req().getLocalPort();
    }

    /** Every request, static files included: only the loopback name may be used to reach us. */
    void checkHost(Context ctx) {
        LoopbackOrigin.refuseHost(localPort(ctx), ctx.header("Host")).ifPresent(refusal -> {
            throw new ApiException(403, refusal);
        });
    }

    /** Requests under {@code /api}: who calls, then where a state change comes from, then its Content-Type. */
    void checkApi(Context ctx) {
        Caller caller = caller(ctx);
        if (caller == Caller.NOBODY) {
            throw new ApiException(401, "unauthorized",
                    "missing or wrong API secret: run ./latchkey url and open the link it prints, or send Authorization: Bearer <apiToken of instance.json>");
        }
        if (STATE_CHANGING.contains(ctx.method())) {
            checkOrigin(ctx, caller);
        }
        if (WITH_BODY.contains(ctx.method())) {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new ApiException(415, "unsupported_media_type", "send the body as application/json");
            }
        }
    }

    /**
     * A foreign {@code Origin} or a cross-site {@code Sec-Fetch-Site} is refused from anyone; a
     * request riding on the page's cookie must also show one of them, so a form or script of
     * another site cannot use the cookie the browser adds.
     */
    private void checkOrigin(Context ctx, Caller caller) {
        int port = localPort(ctx);
        String origin = ctx.header("Origin");
        String fetchSite = ctx.header("Sec-Fetch-Site");
        LoopbackOrigin.refuseOrigin(port, origin, fetchSite).ifPresent(refusal -> {
            throw new ApiException(403, refusal);
        });
        if (caller == Caller.PAGE && !LoopbackOrigin.ownOrigin(port, origin) && !LoopbackOrigin.sameOrigin(fetchSite)) {
            throw new ApiException(403, "forbidden_origin",
                    "requests that change state with the page's cookie must carry Origin or Sec-Fetch-Site: same-origin");
        }
    }

    /**
     * {@code /?code=CODE}: trades a launch code for the session cookie and drops the code from the
     * address bar. A used or expired code is refused, unless the browser is signed in already.
     */
    void launchLink(Context ctx) {
        String code = ctx.queryParam("code");
        if (code == null) {
            return;
        }
        String cookie = cookieName(localPort(ctx));
        String session = sessions.trade(code).orElse(null);
        if (session == null && !sessions.isSession(ctx.cookie(cookie))) {
            throw new ApiException(401, "unauthorized",
                    "this launch link was used already or has expired: run ./latchkey url for a fresh one");
        }
        if (session != null) {
            ctx.header("Set-Cookie", cookie + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
        }
        ctx.redirect("/", HttpStatus.SEE_OTHER);
        ctx.skipRemainingHandlers();
    }

    private Caller caller(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            return isSecret(authorization.substring("Bearer ".length())) ? Caller.PROGRAM : Caller.NOBODY;
        }
        return sessions.isSession(ctx.cookie(cookieName(localPort(ctx)))) ? Caller.PAGE : Caller.NOBODY;
    }

    /** Constant-time comparison with the API secret. */
    private boolean isSecret(String token) {
        return MessageDigest.isEqual(secret, token.getBytes(StandardCharsets.UTF_8));
    }
}
