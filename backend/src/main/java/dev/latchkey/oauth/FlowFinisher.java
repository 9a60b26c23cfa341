package dev.latchkey.oauth;

import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The second half of an OAuth sign-in (RFC 6749 §4.1.2, §4.1.3): how each flow that
 * {@link OAuthService} started ends. At the loopback callback the state is taken (single use),
 * checked for expiry and for the provider's error, and the code exchanged through the proxy for
 * tokens; a flow nobody came back to expires; an install a stop left half-way fails. A failure
 * stores no credential and says what happened in the install's reason.
 */
final class FlowFinisher {

    private final ProviderRegistry providers;
    private final InstallService installs;
    private final InstallStore store;
    private final PendingFlows flows;
    private final ProxyClient proxy;
    private final Clock clock;
    private final Map<String, FlowHandler> handlers;

    FlowFinisher(ProviderRegistry providers, InstallService installs, InstallStore store, PendingFlows flows,
            ProxyClient proxy, Clock clock, Map<String, FlowHandler> handlers) {
        this.handlers = handlers;
        this.providers = providers;
        this.installs = installs;
        this.store = store;
        this.flows = flows;
        this.proxy = proxy;
        this.clock = clock;
    }

    /**
     * Finishes a flow at the loopback callback, authenticated by its state alone.
     *
     * @param query the callback's parameters: {@code state} and {@code code}, or {@code error}
     */
    CallbackOutcome callback(Map<String, String> query) {
        String state = query.get("state");
        if (state == null || state.isEmpty() || state.length() > 128) {
            store.audit(null, "oauth_callback_refused", "no usable state");
            return new CallbackOutcome.Failed(400, "This sign-in cannot continue",
                    "The address has no sign-in state, so Latchkey cannot tell which sign-in it belongs to.");
        }
        Optional<PendingFlow> taken = flows.take(state);
        if (taken.isEmpty()) {
            store.audit(null, "oauth_callback_refused", "unknown or already used state");
            return new CallbackOutcome.Failed(400, "This sign-in link is not valid",
                    "It was already used, or it does not belong to a sign-in this Latchkey started. "
                            + "Start again from the Connectors page.");
        }
        PendingFlow flow = taken.get();
        Install install = installs.find(flow.installId()).orElse(null);
        if (install == null) {
            return new CallbackOutcome.Failed(410, "This install is gone", "It was uninstalled while you were signing in.");
        }
        FlowHandler handler = handlers.get(flow.provider());
        if (handler != null) {
            return flow.expiredAt(clock.instant())
                    ? fail(install, "The sign-in took longer than " + OAuthService.FLOW_LIFETIME.toMinutes() + " minutes and expired.")
                    : handler.finish(install.id(), flow.redirectUri(), flow.pkce(), query);
        }
        // A browser-login install has a flow only from a switch to OAuth: a switch to browser login deletes them.
        if (install.auth() != AuthMethod.OAUTH && install.auth() != AuthMethod.BROWSER) {
            store.audit(install.id(), "oauth_callback_refused", "the install is connected by " + install.auth().wireName());
            return new CallbackOutcome.Failed(409, "This install uses browser login now",
                    "It was switched to browser login while this sign-in was open; nothing was changed.");
        }
        String service = displayName(flow.provider());
        if (flow.expiredAt(clock.instant())) {
            return fail(install, "The sign-in to " + service + " took longer than " + OAuthService.FLOW_LIFETIME.toMinutes()
                    + " minutes and expired.");
        }
        String error = query.get("error");
        if (error != null) {
            return fail(install, "access_denied".equals(error)
                    ? "You did not allow Latchkey access at " + service + "."
                    : service + " refused the sign-in (" + printable(error) + ").");
        }
        String code = query.get("code");
        if (code == null || code.isEmpty()) {
            return fail(install, service + " sent neither a code nor an error.");
        }
        return exchange(install, flow, code, service);
    }

    private CallbackOutcome exchange(Install install, PendingFlow flow, String code, String service) {
        boolean reconnect = store.credentials(install.id()).isPresent();
        boolean switching = install.auth() == AuthMethod.BROWSER;
        if (!reconnect) {
            installs.transition(install.id(), InstallStatus.CONNECTING, "Exchanging the sign-in with " + service + "…");
        }
        ProxyAnswer answer = proxy.exchange(flow.provider(), code, flow.pkce(), flow.redirectUri());
        if (answer instanceof ProxyAnswer.Tokens tokens) {
            String label = AccountLabel.from(tokens.extras());
            Credentials credentials = new Credentials(flow.provider(), AuthMethod.OAUTH, values(tokens),
                    expiresAt(tokens), label);
            installs.saveCredentials(install.id(), credentials,
                    switching ? Why.SWITCHED : reconnect ? Why.RECONNECTED : Why.CONNECTED);
            // Refused while its server is (being) started: a reconnect does not pull it back to connected.
            Install now = installs.transition(install.id(), InstallStatus.CONNECTED,
                    label == null ? "Connected to " + service + "." : "Connected as " + label + ".").install();
            return new CallbackOutcome.Connected(now, label);
        }
        if (answer instanceof ProxyAnswer.Refused refused) {
            return fail(install, service + " did not accept the sign-in: " + refused.description());
        }
        return fail(install, "The sign-in could not be finished: " + ((ProxyAnswer.Unavailable) answer).reason() + ".");
    }

    /**
     * A flow that ended without tokens: a first connection fails; a reconnect keeps its old tokens
     * and status and only says what happened.
     */
    private CallbackOutcome fail(Install install, String what) {
        store.audit(install.id(), "oauth_failed", what);
        boolean reconnect = store.credentials(install.id()).isPresent();
        if (reconnect) {
            installs.note(install.id(), (install.auth() == AuthMethod.BROWSER ? "Switching to OAuth failed: "
                    : "Reconnecting failed: ") + what + " The saved sign-in is kept.");
        } else {
            installs.transition(install.id(), InstallStatus.FAILED, what + " Press Reconnect to try again.");
        }
        return new CallbackOutcome.Failed(400, "Latchkey could not connect", what
                + " You can close this tab and try again from the Connectors page.");
    }

    /**
     * Fails the installs whose sign-in expired while nobody came back; called by the scheduler and
     * at start (a flow started before a restart that never completes).
     */
    void expireFlows() {
        for (String installId : flows.removeExpired(clock.instant())) {
            installs.find(installId).ifPresent(install -> fail(install, "The sign-in was not finished within "
                    + OAuthService.FLOW_LIFETIME.toMinutes() + " minutes."));
        }
    }

    /**
     * Installs left half-way by a stop: {@code connecting} (the exchange never finished) or
     * {@code pending_auth} without a waiting flow. They fail with a reason; nothing was stored.
     */
    void recoverInterrupted() {
        Instant now = clock.instant();
        for (Install install : installs.list()) {
            boolean stuck = install.auth() == AuthMethod.OAUTH && store.credentials(install.id()).isEmpty()
                    && (install.status() == InstallStatus.CONNECTING
                    || install.status() == InstallStatus.PENDING_AUTH && !flows.isWaiting(install.id(), now));
            if (stuck) {
                fail(install, "Latchkey stopped before the sign-in was finished.");
            }
        }
    }

    private static Map<String, String> values(ProxyAnswer.Tokens tokens) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("accessToken", tokens.accessToken());
        if (tokens.refreshToken() != null) {
            values.put("refreshToken", tokens.refreshToken());
        }
        return values;
    }

    private Instant expiresAt(ProxyAnswer.Tokens tokens) {
        return tokens.expiresIn() == null ? null : clock.instant().plusSeconds(tokens.expiresIn());
    }

    private String displayName(String provider) {
        return providers.find(provider).map(ProviderDefinition::displayName).orElse(provider);
    }

    /** An error code from the browser's address bar, cut to something safe to show and store. */
    private static String printable(String text) {
        String clean = text.replaceAll("[^A-Za-z0-9_.\\-]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }
}
