package dev.latchkey.oauth;

import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.install.StatusChange;
import dev.latchkey.install.Transition;
import dev.latchkey.launch.LaunchSpec;
import dev.latchkey.launch.LaunchSpecs;
import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps OAuth connections fresh (RFC 6749 §6): every {@code interval} it refreshes, through the
 * proxy, each connection whose access token ends within {@code margin}.
 *
 * <ul>
 *   <li>one refresh at a time per connection: callers that race share one upstream call;</li>
 *   <li>at most {@code maxInFlight} refreshes at once, however many are due;</li>
 *   <li>the old refresh token is kept when the provider sends no new one; the new pair is stored
 *       in one transaction ({@link InstallService#saveCredentials}, which tells the runtime);</li>
 *   <li>5xx, 429 and timeouts are retried after each {@code backoff} delay; {@code invalid_grant}
 *       moves the install to {@code needs_reauth}.</li>
 * </ul>
 */
public final class TokenRefresher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);

    /** When and how hard to refresh. */
    public record Policy(Duration margin, Duration interval, int maxInFlight, List<Duration> backoff) {
        public static final Policy DEFAULT = new Policy(Duration.ofMinutes(5), Duration.ofSeconds(30), 8,
                List.of(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(15)));

        public Policy {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
            }
            backoff = List.copyOf(backoff);
        }

        /** This policy with another margin. */
        public Policy withMargin(Duration newMargin) {
            return new Policy(newMargin, interval, maxInFlight, backoff);
        }
    }

    /** What one refresh came to. */
    public sealed interface Outcome {
        /** New tokens are stored. */
        record Refreshed(String installId) implements Outcome {
        }

        /** Nothing to do: not due, not OAuth, gone, or signed in anew while the refresh ran. */
        record Skipped(String installId) implements Outcome {
        }

        /** The provider no longer accepts the sign-in; the install is {@code needs_reauth}. */
        record NeedsReauth(String installId, String reason) implements Outcome {
        }

        /** Not now (proxy or provider down); the next round tries again. */
        record Failed(String installId, String reason) implements Outcome {
        }
    }

    private final InstallStore store;
    private final InstallService installs;
    private final ProviderRegistry providers;
    private final ProxyClient proxy;
    private final LaunchSpecs launchSpecs;
    private final Clock clock;
    private final Policy policy;
    private final Map<String, CompletableFuture<Outcome>> inFlight = new ConcurrentHashMap<>();
    /** How long close waits for refreshes under way: the proxy client's request limit and some. */
    private static final Duration CLOSE_WAIT = ProxyClient.REQUEST_TIMEOUT.plusSeconds(5);

    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;
    private final AtomicInteger calling = new AtomicInteger();
    private final AtomicInteger peakCalling = new AtomicInteger();
    private final AtomicInteger upstreamCalls = new AtomicInteger();
    /** Counted down by {@link #close}: refreshes not begun by then are skipped, backoff waits end. */
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Map<String, RefreshRoute> routes = new ConcurrentHashMap<>();

    public TokenRefresher(InstallStore store, InstallService installs, ProviderRegistry providers,
            ProxyClient proxy, LaunchSpecs launchSpecs, Clock clock, Policy policy) {
        this.store = store;
        this.installs = installs;
        this.providers = providers;
        this.proxy = proxy;
        this.launchSpecs = launchSpecs;
        this.clock = clock;
        this.policy = policy;
        this.workers = Executors.newFixedThreadPool(policy.maxInFlight(), RefreshRoute.daemon("oauth-refresh"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(RefreshRoute.daemon("oauth-refresh-ticker"));
    }

    /** Refreshes the connections of {@code provider} through {@code route} instead of the proxy (remote servers). */
    public void route(String provider, RefreshRoute route) {
        routes.put(provider, route);
    }

    /** Starts the rounds: every {@code interval}, {@code beforeEach} (e.g. expiring flows), then the due refreshes. */
    public void start(Runnable beforeEach) {
        long every = policy.interval().toMillis();
        ticker.scheduleWithFixedDelay(() -> {
            try {
                beforeEach.run();
                refreshDue().join();
            } catch (RuntimeException e) {
                LOG.warn("a refresh round failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Refreshes every connection due now; completes when all have. */
    public CompletableFuture<List<Outcome>> refreshDue() {
        List<CompletableFuture<Outcome>> started = store.oauthExpiringBy(clock.instant().plus(policy.margin())).stream()
                .map(this::refresh).toList();
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                .thenApply(done -> started.stream().map(CompletableFuture::join).toList());
    }

    /** Refreshes one connection if it is due; a caller that comes while one runs gets that one's outcome. */
    public CompletableFuture<Outcome> refresh(String installId) {
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> running = inFlight.putIfAbsent(installId, mine);
        if (running != null) {
            return running;
        }
        workers.execute(() -> {
            try {
                mine.complete(stopping.getCount() == 0 ? new Outcome.Skipped(installId) : refreshNow(installId));
            } catch (RuntimeException e) {
                LOG.warn("refreshing install {} failed: {}", installId, e.toString());
                mine.complete(new Outcome.Failed(installId, "an unexpected error: " + e.getClass().getSimpleName()));
            } finally {
                inFlight.remove(installId, mine);
            }
        });
        return mine;
    }

    /** The most proxy calls that were in flight at once since start. */
    public int peakInFlight() {
        return peakCalling.get();
    }

    /** How many refresh calls went to the proxy since start. */
    public int upstreamCalls() {
        return upstreamCalls.get();
    }

    private Outcome refreshNow(String installId) {
        Optional<Credentials> stored = store.credentials(installId);
        Instant now = clock.instant();
        if (stored.isEmpty() || stored.get().method() != AuthMethod.OAUTH || stored.get().expiresAt() == null
                || stored.get().expiresAt().isAfter(now.plus(policy.margin()))) {
            return new Outcome.Skipped(installId);
        }
        Credentials credentials = stored.get();
        String service = providers.find(credentials.provider()).map(ProviderDefinition::displayName)
                .orElse(credentials.provider());
        String refreshToken = credentials.values().get("refreshToken");
        if (refreshToken == null) {
            return credentials.expiresAt().isAfter(now) ? new Outcome.Skipped(installId)
                    : needsReauth(installId, credentials, "The " + service + " sign-in expired and " + service
                            + " gave no refresh token.");
        }
        String lastProblem = null;
        for (int attempt = 0; attempt <= policy.backoff().size(); attempt++) {
            if (attempt > 0 && stopped(policy.backoff().get(attempt - 1))) {
                return new Outcome.Failed(installId, "Latchkey stopped before the refresh could be tried again");
            }
            ProxyAnswer answer = call(installId, credentials, refreshToken);
            if (answer instanceof ProxyAnswer.Tokens tokens) {
                return store(installId, credentials, tokens) ? new Outcome.Refreshed(installId)
                        : new Outcome.Skipped(installId);
            }
            if (answer instanceof ProxyAnswer.Refused refused) {
                if ("invalid_grant".equals(refused.error()) || "unsupported_grant_type".equals(refused.error())) {
                    return needsReauth(installId, credentials, service + " no longer accepts the saved sign-in ("
                            + refused.error() + ").");
                }
                store.audit(installId, "refresh_failed", refused.error() + ": " + refused.description());
                return new Outcome.Failed(installId, refused.description());
            }
            lastProblem = ((ProxyAnswer.Unavailable) answer).reason();
        }
        store.audit(installId, "refresh_failed", lastProblem + " (after " + (policy.backoff().size() + 1) + " tries)");
        return new Outcome.Failed(installId, lastProblem);
    }

    private ProxyAnswer call(String installId, Credentials credentials, String refreshToken) {
        RefreshRoute route = routes.get(credentials.provider());
        int now = calling.incrementAndGet();
        peakCalling.accumulateAndGet(now, Math::max);
        upstreamCalls.incrementAndGet();
        try {
            return route != null ? route.refresh(installId, credentials, refreshToken)
                    : proxy.refresh(credentials.provider(), refreshToken);
        } finally {
            calling.decrementAndGet();
        }
    }

    /** False when a sign-in replaced the tokens while the refresh ran: then those stay. */
    private boolean store(String installId, Credentials old, ProxyAnswer.Tokens tokens) {
        Map<String, String> values = new LinkedHashMap<>(old.values());
        values.put("accessToken", tokens.accessToken());
        if (tokens.refreshToken() != null) {
            values.put("refreshToken", tokens.refreshToken());
        }
        Instant expiresAt = tokens.expiresIn() == null ? null : clock.instant().plusSeconds(tokens.expiresIn());
        if (!installs.replaceCredentials(installId, old, new Credentials(old.provider(), AuthMethod.OAUTH, values,
                expiresAt, old.accountLabel()), Why.REFRESHED)) {
            LOG.info("install {} signed in again while its {} tokens were refreshed; the new sign-in's tokens are kept",
                    installId, old.provider());
            return false;
        }
        if (!routes.containsKey(old.provider())) { // a routed install (a remote server) has no launch spec, no files
            rewriteFiles(installId);
        }
        LOG.info("refreshed the {} tokens of install {}", old.provider(), installId);
        return true;
    }

    /** Credential files hold the tokens too: a server started from them must not read the old ones. */
    private void rewriteFiles(String installId) {
        try {
            LaunchSpec spec = launchSpecs.forInstall(installId);
            if (!spec.files().isEmpty()) {
                LaunchSpecs.writeFiles(spec);
            }
        } catch (RuntimeException e) {
            LOG.warn("the credential files of install {} were not rewritten: {}", installId, e.getMessage());
        }
    }

    /** Only while the tokens that failed are still the stored ones: a sign-in meanwhile wins. */
    private Outcome needsReauth(String installId, Credentials tried, String what) {
        store.audit(installId, "refresh_failed", what);
        StatusChange change = installs.transition(installId, Transition.to(InstallStatus.NEEDS_REAUTH,
                what + " Press Reconnect to sign in again.").ifCredentialsStill(tried));
        if (change instanceof StatusChange.Refused refused) {
            LOG.info("install {} keeps its status after a failed refresh: {}", installId, refused.why());
            return new Outcome.Skipped(installId);
        }
        return new Outcome.NeedsReauth(installId, what);
    }

    /** Waits {@code delay}, or less when the refresher is closed meanwhile; true when it was. */
    private boolean stopped(Duration delay) {
        try {
            return stopping.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        // Never an interrupt: one that lands while a refresh writes to H2 closes the database file
        // under every other user of it. A refresh under way ends within the proxy client's time limit.
        stopping.countDown();
        ticker.shutdown();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)
                    || !ticker.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("refreshes still under way after {} s at close", CLOSE_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
