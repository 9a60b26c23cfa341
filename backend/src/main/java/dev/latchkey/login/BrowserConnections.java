package dev.latchkey.login;

import static dev.latchkey.login.Outcomes.describe;
import static dev.latchkey.login.Outcomes.wrongShape;

import dev.latchkey.catalog.Catalog;
import dev.latchkey.catalog.CatalogServer;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallRefusedException.Reason;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.install.Lifecycle;
import dev.latchkey.oauth.OAuthService;
import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects installs by browser login through the {@link BrowserLogin} port: a first connection,
 * a re-login, and a switch from OAuth. Each sign-in runs on a thread of its own; only when it
 * returns values of the right shape are they stored ({@link InstallService#saveCredentials},
 * replacing the old ones in one transaction). Every other outcome stores nothing and leaves a
 * sentence on the install. A switch from OAuth revokes the old tokens once the new values are
 * stored; the provider's session check, if it has one, must accept them first and names the
 * account. Session health is watched by {@link SessionWatch}. Knows nothing of HTTP serving; never
 * logs or returns a value.
 */
public final class BrowserConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrowserConnections.class);

    private final BrowserLogin login;
    private final InstallService installs;
    private final InstallStore store;
    private final Catalog catalog;
    private final ProviderRegistry providers;
    private final OAuthService oauth;
    private final SessionWatch watch;
    private final LoginFlows flows = new LoginFlows();
    private final Runnable unsubscribe;

    public BrowserConnections(BrowserLogin login, InstallService installs, InstallStore store, Catalog catalog,
            ProviderRegistry providers, OAuthService oauth, SessionChecks checks, InstallEvents events, Clock clock) {
        this.login = login;
        this.installs = installs;
        this.store = store;
        this.catalog = catalog;
        this.providers = providers;
        this.oauth = oauth;
        this.watch = new SessionWatch(installs, store, providers, checks, this::signingIn, clock);
        this.unsubscribe = events.subscribe(this::heard);
    }

    /** Installs a server connected by browser login: stored as {@code pending_auth}, then the login window opens. */
    public Install install(InstallRequest request) {
        ProviderDefinition provider = browserProvider(catalog.find(request.catalogName()).orElseThrow(() ->
                new InstallRefusedException(Reason.UNKNOWN_CATALOG_SERVER,
                        "no catalog server is named \"" + request.catalogName() + "\"")));
        Install install = installs.installPending(request, "Waiting for you to sign in to " + provider.displayName()
                + " in the login window.");
        begin(install.id(), provider, Why.CONNECTED, InstallStatus.FAILED);
        return install;
    }

    /** Opens the login window again for an install connected by browser login (one-click re-login). */
    public Install relogin(String id) {
        Install install = find(id);
        if (install.auth() != AuthMethod.BROWSER) {
            throw new InstallRefusedException(Reason.UNSUPPORTED_AUTH, install.displayName()
                    + " is connected by " + install.auth().wireName() + ", not by browser login; switch it instead");
        }
        ProviderDefinition provider = install.provider() != null
                ? browserDefinition(install.provider()) : browserProvider(server(install));
        refuseIfOpen(id);
        String waiting = "Waiting for you to sign in to " + provider.displayName() + " in the login window.";
        if (Lifecycle.UP.contains(install.status())) { // its server goes on with the current session meanwhile
            Install noted = installs.note(id, waiting + " The current session stays until then.");
            begin(id, provider, Why.RECONNECTED, null);
            return noted;
        }
        InstallStatus before = install.status() == InstallStatus.PENDING_AUTH ? InstallStatus.FAILED : install.status();
        Install pending = installs.transition(id, InstallStatus.PENDING_AUTH, waiting).install();
        begin(id, provider, Why.RECONNECTED, before);
        return pending;
    }

    /**
     * Switches an install to browser login: the login window opens, and the current connection
     * stays as it is until the new sign-in has succeeded.
     */
    public Install switchToBrowser(String id) {
        Install install = find(id);
        if (install.auth() == AuthMethod.BROWSER) {
            throw new InstallRefusedException(Reason.UNSUPPORTED_AUTH,
                    install.displayName() + " is connected by browser login already; sign in again instead");
        }
        ProviderDefinition provider = browserProvider(server(install));
        refuseIfOpen(id);
        // An OAuth sign-in still open would otherwise connect the install by OAuth again at its callback.
        oauth.forgetPendingFlows(id);
        Install switching = installs.note(id, "Switching to browser login: sign in to "
                + provider.displayName() + " in the login window. The current connection stays until then.");
        begin(id, provider, Why.SWITCHED, null);
        return switching;
    }

    /**
     * Closes the open login window of an install (by its cancel flag, see {@link LoginCancel});
     * what it ends as is set on the install like any outcome, by the sign-in's own thread.
     */
    public void cancel(String id) {
        flows.cancel(id);
    }

    /**
     * Checks one install's session now (expiry, then its provider's check) and answers the install
     * as it is afterwards: {@code needs_relogin} with the reason, or unchanged.
     */
    public Install checkSession(String id) {
        Install install = find(id);
        if (install.auth() != AuthMethod.BROWSER) {
            throw new InstallRefusedException(Reason.UNSUPPORTED_AUTH, install.displayName() + " is connected by "
                    + install.auth().wireName() + ", not by browser login; there is no browser session to check");
        }
        watch.checkNow(install);
        return find(id);
    }

    /** Whether a login window is open for the install, or a cancelled one is still closing. */
    public boolean signingIn(String id) {
        return flows.busy(id);
    }

    private void refuseIfOpen(String id) {
        if (signingIn(id)) {
            throw new InstallRefusedException(Reason.BUSY, "a login window is already open for this install");
        }
    }

    private void begin(String id, ProviderDefinition provider, Why why, InstallStatus onFailure) {
        flows.begin(id, cancel -> signIn(id, provider, why, onFailure, cancel));
    }

    private void signIn(String id, ProviderDefinition provider, Why why, InstallStatus onFailure, LoginCancel cancel) {
        try {
            LoginOutcome outcome = login.signIn(new LoginRequest(provider.displayName(), provider.browserAuth(),
                    session(provider.name().value(), id)), cancel);
            LOG.info("browser login for install {} ended: {}", id, outcome.getClass().getSimpleName());
            finish(id, provider, why, onFailure, outcome);
        } catch (InstallRefusedException e) {
            LOG.info("browser login for install {} ended after the install went away", id);
        } catch (RuntimeException e) {
            LOG.error("browser login for install {} failed", id, e);
            installs.signInUnfinished(id, onFailure, "Sign-in failed inside Latchkey (see its log). Nothing was stored.");
        }
    }

    private void finish(String id, ProviderDefinition provider, Why why, InstallStatus onFailure, LoginOutcome outcome) {
        if (outcome instanceof LoginOutcome.Extracted extracted) {
            Optional<String> wrong = wrongShape(provider, extracted.values());
            if (wrong.isPresent()) {
                installs.signInUnfinished(id, onFailure, failure(why) + provider.displayName() + " gave " + wrong.get()
                        + ", which is not what a signed-in session looks like. Nothing was stored.");
                return;
            }
            SessionHealth health = watch.ask(provider, extracted.values());
            if (health instanceof SessionHealth.Failing failing) {
                installs.signInUnfinished(id, onFailure, failure(why) + "the session check says " + failing.reason() + "."
                        + (why == Why.CONNECTED ? " Nothing was stored." : " The current connection is unchanged."));
                return;
            }
            String label = health instanceof SessionHealth.Healthy healthy ? healthy.accountLabel() : null;
            Optional<Credentials> old = why == Why.SWITCHED ? store.credentials(id) : Optional.empty();
            installs.saveCredentials(id, new Credentials(provider.name().value(), AuthMethod.BROWSER, extracted.values(),
                    extracted.expiresAt(), label), why);
            // Refused while its server is up: the new credentials restart it instead.
            installs.transition(id, InstallStatus.CONNECTED, "Signed in to " + provider.displayName()
                    + (label == null ? "" : " as " + label)
                    + (extracted.expiresAt() == null ? "." : "; the session lasts until " + extracted.expiresAt() + "."));
            old.ifPresent(previous -> revoke(id, previous));
            return;
        }
        installs.signInUnfinished(id, onFailure, failure(why) + describe(outcome, provider)
                + (why == Why.CONNECTED ? " Nothing was stored." : " The current connection is unchanged."));
    }

    /**
     * The switch is done whatever happens here: the old OAuth grant is revoked through the proxy,
     * and a proxy that is down or refuses only leaves a {@code revoke_failed} row in the audit log.
     */
    private void revoke(String id, Credentials previous) {
        LOG.info("install {} switched from {} to browser login", id, previous.provider());
        try {
            oauth.revoke(id, previous);
        } catch (RuntimeException e) {
            LOG.warn("revoking the old {} connection of install {} failed: {}", previous.provider(), id, e.toString());
        }
    }

    private static String failure(Why why) {
        return why == Why.SWITCHED ? "Switching to browser login did not finish: " : "Sign-in did not finish: ";
    }

    /**
     * An uninstalled install loses its browser data, once its login window (if one is open) has
     * closed; one switched away from browser login too. One switched to browser login loses the
     * OAuth sign-ins still waiting for their callback.
     */
    private void heard(InstallEvent event) {
        if (event instanceof InstallEvent.Removed removed) {
            flows.cancelThen(removed.id(), () -> forgetAll(removed.id()));
        } else if (event instanceof InstallEvent.CredentialsChanged changed && changed.why() == Why.SWITCHED) {
            Optional<AuthMethod> now = store.credentials(changed.id()).map(Credentials::method);
            if (now.equals(Optional.of(AuthMethod.BROWSER))) {
                oauth.forgetPendingFlows(changed.id()); // an OAuth sign-in begun while the login window was open
            } else if (now.isPresent()) {
                forgetAll(changed.id());
            }
        }
    }

    /** Deletes the install's browser data under every browser provider (the install may be gone, and its provider with it). */
    private void forgetAll(String id) {
        for (ProviderDefinition provider : providers.all()) {
            if (provider.browserAuth() != null) {
                try {
                    login.forget(session(provider.name().value(), id));
                } catch (RuntimeException e) {
                    LOG.warn("could not delete the browser session of install {}: {}", id, e.getMessage());
                }
            }
        }
    }

    private static SessionKey session(String provider, String installId) {
        return new SessionKey(provider, installId);
    }

    private Install find(String id) {
        return store.find(id).orElseThrow(() -> new InstallRefusedException(Reason.NOT_FOUND,
                "no install has the id \"" + id + "\""));
    }

    private CatalogServer server(Install install) {
        return catalog.find(install.catalogName()).orElseThrow(() -> new InstallRefusedException(Reason.NOT_RUNNABLE,
                install.displayName() + " is no longer in the catalog (\"" + install.catalogName() + "\")"));
    }

    private ProviderDefinition browserProvider(CatalogServer server) {
        if (!server.offersBrowserLogin() || server.browserProvider().isEmpty()) {
            throw new InstallRefusedException(Reason.UNSUPPORTED_AUTH, server.displayName() + " connects by "
                    + String.join(" or ", server.auth()) + ", not by browser");
        }
        return browserDefinition(server.browserProvider().get());
    }

    private ProviderDefinition browserDefinition(String name) {
        return providers.find(name).filter(p -> p.browserAuth() != null).orElseThrow(() -> new InstallRefusedException(
                Reason.NOT_RUNNABLE, "\"" + name + "\" is not a known browser-login provider"));
    }

    @Override
    public void close() {
        unsubscribe.run();
        watch.close();
        flows.close();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
