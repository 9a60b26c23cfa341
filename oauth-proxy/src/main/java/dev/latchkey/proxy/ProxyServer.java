package dev.latchkey.proxy;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's HTTP face: routes, security headers, CORS, the rate limit and the one error mapper.
 * Handlers only translate requests and answers; {@code main} and the tests both call {@link #create}.
 *
 * <ul>
 *   <li>{@code POST /oauth/token}: code exchange and refresh (RFC 6749 §4.1.3, §6)
 *   <li>{@code POST /oauth/revoke}: revocation (RFC 7009)
 *   <li>{@code GET /oauth/callback/{provider}}: the HTTPS redirect relayed to the desktop
 *   <li>{@code GET /oauth/providers}, {@code GET /health}
 *   <li>{@code GET /client-metadata.json}: the desktop app's Client ID Metadata Document
 * </ul>
 */
public final class ProxyServer {

    /**
     * The server's threads. No thread waits for a provider, so they only parse requests and write
     * answers; on the two cores a replica is sized for, more would only queue for the cores.
     */
    static final int MAX_SERVER_THREADS = 32;

    /** Entries of Jetty's per-connection header cache, here and in {@link Upstream}; Jetty's default is 1,024. */
    static final int HEADER_CACHE_SIZE = 64;

    /**
     * The buffer Javalin copies each answer through. Its default is Jetty's output buffer, 32 KB, a
     * new array per answer: at a thousand exchanges a second that was half of all the proxy
     * allocated, and the collector's pauses that came of it were the slow provider's tail latency.
     * A token answer is a few hundred bytes.
     */
    static final int ANSWER_COPY_BYTES = 2048;

    /** What an overloaded replica asks the client to wait, in seconds, before it tries again. */
    static final int RETRY_AFTER_SECONDS = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyConfig config;
    private final Upstream upstream;
    private final Providers providers;
    private final RedirectPolicy redirects;
    private final ClientMetadata metadata;
    private final RateLimiter limiter;
    private final Semaphore inFlight;
    private final RefreshAnswers refreshes = new RefreshAnswers(System::nanoTime);
    /** One line per error answer would serialize a busy server on the logger; at most one per kind and 10 s. */
    private final ThrottledLog answers = new ThrottledLog(LOG, TimeUnit.SECONDS.toNanos(10), System::nanoTime);

    private ProxyServer(ProxyConfig config, Clock clock) {
        this.config = config;
        this.upstream = new Upstream(config);
        this.providers = Providers.from(config.providers(), upstream);
        this.redirects = new RedirectPolicy(config.baseUrl());
        this.metadata = new ClientMetadata(config.baseUrl());
        this.limiter = new RateLimiter(config.rateLimitPerMinute(), clock);
        this.inFlight = new Semaphore(config.maxInFlight());
    }

    /** The proxy as a Javalin app, not yet started. */
    public static Javalin create(ProxyConfig config) {
        return create(config, Clock.systemUTC());
    }

    /** The proxy with the clock its rate limit reads (tests hold it still). */
    static Javalin create(ProxyConfig config, Clock clock) {
        ProxyServer server = new ProxyServer(config, clock);
        return Javalin.create(server::configure);
    }

    private void configure(JavalinConfig javalin) {
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.jetty.threadPool = new QueuedThreadPool(MAX_SERVER_THREADS, 4);
        javalin.http.responseBufferSize = ANSWER_COPY_BYTES;
        // Jetty keeps a header cache per connection, 96 KB at its default size of 1,024: with a
        // thousand clients waiting on a slow provider that alone filled the heap. The few headers a
        // token request repeats fit in a small one.
        javalin.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(HEADER_CACHE_SIZE));
        // The upstream client starts and stops with the server, so a stopped proxy leaves no threads.
        javalin.jetty.modifyServer(server -> server.addBean(upstream));
        javalin.routes.before(this::securityHeaders);
        javalin.routes.before("/oauth/*", this::rateLimit);
        javalin.routes.post("/oauth/token", this::token);
        javalin.routes.post("/oauth/revoke", this::revoke);
        javalin.routes.get("/oauth/callback/{provider}", this::callback);
        javalin.routes.get("/oauth/providers", this::providerList);
        javalin.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        javalin.routes.get(ClientMetadata.PATH, metadata::answer);
        if (config.corsOrigin() != null) {
            javalin.routes.options("/oauth/*", this::preflight);
        }
        javalin.routes.exception(OAuthError.Failure.class, (failure, ctx) -> answer(ctx, failure.error()));
        javalin.routes.exception(Exception.class, (unexpected, ctx) -> {
            // The message of an unexpected exception is not ours to vouch for, so only its type is logged.
            LOG.error("{} {} failed with {} at {}", ctx.method(), ctx.path(), unexpected.getClass().getName(),
                    unexpected.getStackTrace().length > 0 ? unexpected.getStackTrace()[0] : "unknown");
            answer(ctx, new OAuthError(500, "server_error", "the proxy failed unexpectedly"));
        });
    }

    /**
     * Sends the grant on and answers when the provider has: no thread waits for the provider, the
     * answer is written by the thread that read the provider's answer. A client that hangs up aborts
     * its code exchange, but not its refresh, whose answer is kept for its retry ({@link RefreshAnswers}).
     */
    private void token(Context ctx) {
        TokenGrant grant = TokenGrant.parse(RequestBody.read(ctx), redirects);
        OAuthProvider provider = providers.get(grant.provider());
        long started = System.nanoTime();
        CompletableFuture<TokenResponse> tokens = grant instanceof TokenGrant.Code code
                ? admitted(() -> provider.exchangeCode(code))
                : refreshes.refresh((TokenGrant.Refresh) grant, () -> admitted(() -> provider.refresh((TokenGrant.Refresh) grant)));
        answerWhenDone(ctx, tokens, answer -> {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} answered in {} ms: {}", provider.name(),
                        grant.getClass().getSimpleName().toLowerCase(Locale.ROOT),
                        (System.nanoTime() - started) / 1_000_000, answer);
            }
            ctx.json(answer.body());
        });
    }

    /** The registered names, each one's public client id (never a secret) and the issuers some serve. */
    private void providerList(Context ctx) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("providers", providers.names());
        body.put("client_ids", providers.clientIds());
        body.put("issuers", providers.issuers());
        ctx.json(body);
    }

    private void revoke(Context ctx) {
        RevokeRequest request = RevokeRequest.parse(RequestBody.read(ctx));
        OAuthProvider provider = providers.get(request.provider());
        CompletableFuture<Void> revoked = admitted(() -> provider.revoke(request));
        answerWhenDone(ctx, revoked, done -> {
            LOG.debug("{} revocation done", request.provider());
            ctx.json(Map.of("revoked", true));
        });
    }

    /**
     * Answers with {@code answer} once the call to the provider is done. A client that goes away
     * before then cancels the call (which aborts it upstream, see {@link Upstream.Abortable}). Its
     * connection is closed and Jetty has finished the request, so the future Javalin waits for is
     * then left alone: completing it would make Javalin write to a request that is gone.
     */
    private static <T> void answerWhenDone(Context ctx, CompletableFuture<T> call, Consumer<T> answer) {
        CompletableFuture<T> answerable = new CompletableFuture<>();
        ClientWatch watch = ClientWatch.start(ctx, () -> call.cancel(false));
        call.whenComplete((result, failure) -> {
            if (!watch.stop()) {
                return;
            }
            if (failure != null) {
                answerable.completeExceptionally(failure);
            } else {
                answerable.complete(result);
            }
        });
        ctx.future(() -> answerable.thenAccept(answer));
    }

    /**
     * Starts the call to the provider if this replica has fewer than {@code MAX_IN_FLIGHT} under way,
     * else refuses at once with 503: a replica that queued without bound would answer every client
     * late instead of some at once, and hold memory for each.
     */
    private <T> CompletableFuture<T> admitted(Supplier<CompletableFuture<T>> call) {
        if (!inFlight.tryAcquire()) {
            answers.warn("in flight", "this replica has " + config.maxInFlight()
                    + " requests under way (MAX_IN_FLIGHT); answering 503 until one ends");
            throw new OAuthError(503, "temporarily_unavailable", "this proxy has " + config.maxInFlight()
                    + " requests under way, its limit; retry in " + RETRY_AFTER_SECONDS + " s").failure();
        }
        CompletableFuture<T> result;
        try {
            result = call.get();
        } catch (RuntimeException refused) {
            inFlight.release();
            throw refused;
        }
        result.whenComplete((answer, failure) -> inFlight.release());
        return result;
    }

    private void callback(Context ctx) {
        ProviderName name = TokenGrant.providerName(ctx.pathParam("provider"));
        CallbackRelay.Outcome outcome = providers.serves(name)
                ? CallbackRelay.relay(ctx.queryParamMap())
                : new CallbackRelay.Refusal(404, "This proxy does not serve " + name + ".");
        if (outcome instanceof CallbackRelay.Relay relay) {
            LOG.debug("{} callback relayed to loopback port {}", name, relay.location().getPort());
            ctx.status(303).header("Location", relay.location().toString())
                    .html(CallbackPage.render("Returning to Latchkey…", "Your browser is taking you back to the Latchkey app."))
                    .contentType("text/html; charset=utf-8");
        } else {
            CallbackRelay.Refusal refusal = (CallbackRelay.Refusal) outcome;
            LOG.debug("{} callback refused with {}", name, refusal.status());
            ctx.status(refusal.status()).html(CallbackPage.render("This sign-in cannot continue", refusal.message()))
                    .contentType("text/html; charset=utf-8");
        }
    }

    private void securityHeaders(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        String origin = ctx.header("Origin");
        if (config.corsOrigin() != null && config.corsOrigin().equals(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
        }
    }

    private void preflight(Context ctx) {
        if (!config.corsOrigin().equals(ctx.header("Origin"))) {
            throw new OAuthError(403, "access_denied", "this origin may not call the proxy").failure();
        }
        ctx.header("Access-Control-Allow-Methods", "POST");
        ctx.header("Access-Control-Allow-Headers", "Content-Type");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    private void rateLimit(Context ctx) {
        long retryAfter = limiter.admit(clientAddress(ctx));
        if (retryAfter > 0) {
            ctx.header("Retry-After", Long.toString(retryAfter));
            throw new OAuthError(429, "slow_down",
                    "too many requests from this address; retry in " + retryAfter + " s").failure();
        }
    }

    /** The connecting address, or the one the trusted proxies in front wrote into the configured header. */
    private String clientAddress(Context ctx) {
        String forwarded = config.clientIpHeader() == null ? null : ctx.header(config.clientIpHeader());
        return ClientAddress.of(forwarded, config.trustedProxyHops(), ctx.ip());
    }

    private void answer(Context ctx, OAuthError error) {
        answers.info(error.status() + " " + error.error(),
                ctx.method() + " " + ctx.path() + " answered " + error.status() + " " + error.error());
        if (error.status() == 503) {
            // Only the proxy's own overload answers 503 (a provider's 503 is passed on as 502).
            ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        ctx.status(error.status()).json(error.body());
    }
}
