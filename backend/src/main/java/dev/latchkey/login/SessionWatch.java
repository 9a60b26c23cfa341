package dev.latchkey.login;

import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.install.StatusChange;
import dev.latchkey.install.Transition;
import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session health of the installs connected by browser login: every minute (and at start) a
 * session past its cookie expiry becomes {@code needs_relogin}; every {@value #CHECK_EVERY_MINUTES}
 * minutes each session is put to its provider's {@link dev.latchkey.provider.SessionCheck}, and
 * one the service refuses becomes {@code needs_relogin} with the reason. A check that cannot reach
 * the service changes nothing. Installs in a sign-in, or already waiting for one, are left alone, and
 * a check whose session a new sign-in replaced while it ran changes nothing either.
 */
final class SessionWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionWatch.class);
    /** How often every stored session is put to its provider's check. */
    static final long CHECK_EVERY_MINUTES = 15;

    private final InstallService installs;
    private final InstallStore store;
    private final ProviderRegistry providers;
    private final SessionChecks checks;
    private final Predicate<String> signingIn;
    private final Clock clock;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(BrowserConnections.daemon("latchkey-session-health"));

    /** @param signingIn whether a login window is open for an install id */
    SessionWatch(InstallService installs, InstallStore store, ProviderRegistry providers, SessionChecks checks,
            Predicate<String> signingIn, Clock clock) {
        this.installs = installs;
        this.store = store;
        this.providers = providers;
        this.checks = checks;
        this.signingIn = signingIn;
        this.clock = clock;
        timer.scheduleWithFixedDelay(this::checkExpiries, 0, 60, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::askProviders, CHECK_EVERY_MINUTES, CHECK_EVERY_MINUTES, TimeUnit.MINUTES);
    }

    /** The provider's check of these values; healthy without a label when the provider has no check. */
    SessionHealth ask(ProviderDefinition provider, Map<String, String> values) {
        return provider.browserAuth().check() == null ? new SessionHealth.Healthy(null)
                : checks.check(provider.browserAuth().check(), values);
    }

    /** Expiry, then the provider's check, for one install now. */
    void checkNow(Install install) {
        if (isWatched(install) && !expired(install)) {
            askProvider(install);
        }
    }

    private void checkExpiries() {
        try {
            for (Install install : watched()) {
                expired(install);
            }
        } catch (RuntimeException e) {
            LOG.warn("checking browser sessions failed: {}", e.toString());
        }
    }

    private void askProviders() {
        try {
            for (Install install : watched()) {
                checkNow(install);
            }
        } catch (RuntimeException e) {
            LOG.warn("checking browser sessions with their providers failed: {}", e.toString());
        }
    }

    private List<Install> watched() {
        return installs.list().stream().filter(this::isWatched).toList();
    }

    // A failed install may hold a session too (its server would not start); one without any is skipped later.
    private boolean isWatched(Install install) {
        return install.auth() == AuthMethod.BROWSER && !signingIn.test(install.id())
                && install.status() != InstallStatus.NEEDS_RELOGIN && install.status() != InstallStatus.PENDING_AUTH;
    }

    /** Marks the install {@code needs_relogin} when its session's cookies have expired; whether they had. */
    private boolean expired(Install install) {
        Optional<Credentials> credentials = store.credentials(install.id());
        Instant expires = credentials.map(Credentials::expiresAt).orElse(null);
        if (expires != null && !expires.isAfter(clock.instant())) {
            needsRelogin(install, credentials.get(), "The " + install.displayName() + " session ended on " + expires
                    + ": sign in again.");
            return true;
        }
        return false;
    }

    /** Only while the session checked is still the stored one: a check never outlives a newer sign-in. */
    private void needsRelogin(Install install, Credentials checked, String reason) {
        StatusChange change = installs.transition(install.id(),
                Transition.to(InstallStatus.NEEDS_RELOGIN, reason).ifCredentialsStill(checked));
        if (change instanceof StatusChange.Refused refused) {
            LOG.info("install {} keeps its status: {}", install.id(), refused.why());
        }
    }

    /** Puts the install's session to its provider's check; only a refusal marks it {@code needs_relogin}. */
    private void askProvider(Install install) {
        Optional<Credentials> credentials = store.credentials(install.id());
        Optional<ProviderDefinition> provider = credentials.flatMap(c -> providers.find(c.provider()))
                .filter(p -> p.browserAuth() != null);
        if (credentials.isEmpty() || provider.isEmpty()) {
            return;
        }
        SessionHealth health = ask(provider.get(), credentials.get().values());
        if (health instanceof SessionHealth.Failing failing) {
            needsRelogin(install, credentials.get(), "The " + install.displayName()
                    + " session no longer works (" + failing.reason() + "): sign in again.");
        } else if (health instanceof SessionHealth.Unreachable unreachable) {
            LOG.info("the session check of install {} said nothing: {}", install.id(), unreachable.reason());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
