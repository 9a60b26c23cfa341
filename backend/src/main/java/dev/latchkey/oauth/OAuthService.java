package dev.latchkey.oauth;

import dev.latchkey.catalog.Catalog;
import dev.latchkey.catalog.CatalogServer;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import dev.latchkey.provider.Redirect;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * OAuth installs from start to stored tokens (RFC 6749 §4.1 with PKCE, RFC 7636; native-app
 * rules of RFC 8252): starts a flow for an install (the loopback callback, the exchange and the
 * flows that end without one are {@link FlowFinisher}'s, reached through this class), and revokes
 * before an uninstall. Knows nothing of HTTP serving; talks to the proxy through
 * {@link ProxyClient}.
 *
 * <ol>
 *   <li>start: a pending install (or an existing one, to reconnect), a PKCE verifier, a 256-bit
 *       state; the flow stored (state hashed, verifier sealed, 10 minutes); the authorization URL;</li>
 *   <li>callback: the state taken (single use), checked for expiry and for the provider's error;</li>
 *   <li>exchange through the proxy; tokens into the vault with {@code expires_at}, the label from
 *       the proxy's {@code extras}; the install {@code connected}.</li>
 * </ol>
 * A failure at any step stores no credential and says what happened in the install's reason.
 * Steps 2 and 3, and the flows that never come back, are {@link FlowFinisher}'s.
 */
public final class OAuthService {

    /** How long a started sign-in waits for its callback. */
    static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);

    private final Catalog catalog;
    private final ProviderRegistry providers;
    private final InstallService installs;
    private final InstallStore store;
    private final PendingFlows flows;
    private final ProxyClient proxy;
    private final IntSupplier loopbackPort;
    private final Clock clock;
    private final FlowFinisher finisher;
    private final Map<String, FlowHandler> handlers = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param loopbackPort the port this app listens on: the loopback redirect and the state name it */
    public OAuthService(Catalog catalog, ProviderRegistry providers, InstallService installs, InstallStore store,
            PendingFlows flows, ProxyClient proxy, IntSupplier loopbackPort, Clock clock) {
        this.catalog = catalog;
        this.providers = providers;
        this.installs = installs;
        this.store = store;
        this.flows = flows;
        this.proxy = proxy;
        this.loopbackPort = loopbackPort;
        this.clock = clock;
        this.finisher = new FlowFinisher(providers, installs, store, flows, proxy, clock, handlers);
    }

    /** A flow started for a {@link FlowHandler}: its state, verifier and the loopback redirect to send. */
    public record HandedFlow(String state, Pkce pkce, URI redirectUri) {
    }

    /** Has {@code handler} finish the flows started with {@code provider} (a name no provider definition has). */
    public void handFlows(String provider, FlowHandler handler) {
        handlers.put(provider, handler);
    }

    /**
     * Starts a flow that {@link #handFlows its handler} finishes: a new state and PKCE verifier,
     * stored as every flow is (replacing the install's waiting one), with the loopback callback.
     */
    public HandedFlow startFlow(String installId, String provider) {
        int port = loopbackPort.getAsInt();
        URI redirect = URI.create("http://127.0.0.1:" + port + "/oauth/callback");
        Pkce pkce = Pkce.generate();
        String state = FlowState.generate(port);
        Instant now = clock.instant();
        flows.insert(state, new PendingFlow(installId, provider, redirect, pkce, now, now.plus(FLOW_LIFETIME)));
        store.audit(installId, "oauth_started", provider + ", redirect loopback");
        return new HandedFlow(state, pkce, redirect);
    }

    /** A flow that waits for the user at {@code authorizationUrl}. */
    public record Started(Install install, URI authorizationUrl) {
    }

    /**
     * Installs a server that signs in by OAuth: checked against the catalog, the provider and the
     * proxy before anything is stored; then a pending install and its flow.
     */
    public Started install(InstallRequest request) {
        CatalogServer server = installs.check(request);
        String providerName = server.oauthProvider().orElseThrow(() -> new InstallRefusedException(
                InstallRefusedException.Reason.UNSUPPORTED_AUTH, server.displayName() + " does not sign in by OAuth"));
        Client client = client(providerName);
        Install install = installs.installPending(request, waiting(client.provider()));
        return new Started(install, startFlow(install, client));
    }

    /**
     * Starts a new sign-in for an installed server (Reconnect, or a pending one whose link was
     * lost). Its tokens are replaced only when this flow succeeds.
     */
    public Started reconnect(String installId) {
        Install found = installs.find(installId).orElseThrow(() -> new InstallRefusedException(
                InstallRefusedException.Reason.NOT_FOUND, "no install has the id \"" + installId + "\""));
        Install install = found;
        if (install.auth() != AuthMethod.OAUTH) {
            throw new OAuthRefusedException(OAuthRefusedException.Reason.NOT_OAUTH,
                    install.displayName() + " is connected by " + install.auth().wireName() + ", not by OAuth");
        }
        CatalogServer server = catalog.find(found.catalogName()).orElseThrow(() -> new InstallRefusedException(
                InstallRefusedException.Reason.NOT_RUNNABLE, found.displayName() + " is no longer in the catalog"));
        String providerName = server.oauthProvider().orElseThrow(() -> new OAuthRefusedException(
                OAuthRefusedException.Reason.NOT_OAUTH, found.displayName() + " no longer signs in by OAuth"));
        Client client = client(providerName);
        URI url = startFlow(install, client);
        if (store.credentials(installId).isEmpty()) {
            install = installs.transition(installId, InstallStatus.PENDING_AUTH, waiting(client.provider())).install();
        }
        return new Started(install, url);
    }

    /**
     * Switches a browser-login install to OAuth: a sign-in starts in the browser, and only once it
     * succeeds do its tokens replace the session (the install's {@code auth} becomes {@code oauth}
     * with them and its browser data is deleted, as after a switch the other way); until then the
     * session stays and its server runs on it.
     */
    public Started switchToOAuth(String installId) {
        Install install = installs.find(installId).orElseThrow(() -> new InstallRefusedException(
                InstallRefusedException.Reason.NOT_FOUND, "no install has the id \"" + installId + "\""));
        if (install.auth() != AuthMethod.BROWSER) {
            throw new InstallRefusedException(InstallRefusedException.Reason.UNSUPPORTED_AUTH,
                    install.displayName() + " is connected by " + install.auth().wireName() + ", not by browser login");
        }
        CatalogServer server = catalog.find(install.catalogName()).orElseThrow(() -> new InstallRefusedException(
                InstallRefusedException.Reason.NOT_RUNNABLE, install.displayName() + " is no longer in the catalog"));
        String providerName = server.oauthProvider().orElseThrow(() -> new InstallRefusedException(
                InstallRefusedException.Reason.UNSUPPORTED_AUTH, install.displayName() + " does not sign in by OAuth"));
        Client client = client(providerName);
        URI url = startFlow(install, client);
        Install switching = installs.note(installId, "Switching to OAuth: sign in to "
                + client.provider().displayName() + " in your browser.");
        return new Started(switching, url);
    }

    /** Whether OAuth can work now: asks the proxy which providers it serves. */
    public ProxyStatus proxyStatus() {
        return ProxyStatus.of(proxy.directory(), catalog, providers);
    }

    /** The provider's definition and the public client id to use with it. */
    private record Client(ProviderDefinition provider, String clientId) {
    }

    private Client client(String providerName) {
        ProviderDefinition provider = providers.find(providerName).filter(p -> p.oauth() != null)
                .orElseThrow(() -> new OAuthRefusedException(OAuthRefusedException.Reason.UNKNOWN_PROVIDER,
                        "Latchkey has no OAuth provider named \"" + providerName + "\" (run `latchkey doctor`)"));
        ProxyDirectory directory = proxy.directory();
        if (!directory.reachable()) {
            throw new OAuthRefusedException(OAuthRefusedException.Reason.PROXY_UNAVAILABLE, directory.problem()
                    + ". " + ProxyStatus.HOW_TO_GET_ONE);
        }
        if (!directory.serves(providerName)) {
            throw new OAuthRefusedException(OAuthRefusedException.Reason.PROVIDER_NOT_CONFIGURED,
                    provider.displayName() + " is not configured on the OAuth proxy at " + directory.proxy() + ": set "
                            + ProxyStatus.envPrefix(providerName) + "_CLIENT_ID and _CLIENT_SECRET there");
        }
        String own = provider.oauth().clientId();
        String clientId = own.isBlank() ? directory.clientId(providerName).orElse("") : own;
        if (clientId.isBlank()) {
            throw new OAuthRefusedException(OAuthRefusedException.Reason.PROVIDER_NOT_CONFIGURED,
                    "no public client id is known for " + provider.displayName() + ": the proxy at " + directory.proxy()
                            + " did not give one");
        }
        return new Client(provider, clientId);
    }

    private URI startFlow(Install install, Client client) {
        int port = loopbackPort.getAsInt();
        String providerName = client.provider().name().value();
        URI redirect = client.provider().oauth().redirect() == Redirect.PROXY
                ? proxy.relayCallback(providerName)
                : URI.create("http://127.0.0.1:" + port + "/oauth/callback");
        Pkce pkce = Pkce.generate();
        String state = FlowState.generate(port);
        Instant now = clock.instant();
        flows.insert(state, new PendingFlow(install.id(), providerName, redirect, pkce, now, now.plus(FLOW_LIFETIME)));
        store.audit(install.id(), "oauth_started", providerName + ", redirect " + client.provider().oauth().redirect().json());
        return AuthorizationUrl.build(client.provider().oauth(), client.clientId(), redirect, state, pkce);
    }

    /**
     * Finishes a flow at the loopback callback, authenticated by its state alone.
     *
     * @param query the callback's parameters: {@code state} and {@code code}, or {@code error}
     */
    public CallbackOutcome callback(Map<String, String> query) {
        return finisher.callback(query);
    }

    /**
     * Fails the installs whose sign-in expired while nobody came back; called by the scheduler and
     * at start (a flow started before a restart that never completes).
     */
    public void expireFlows() {
        finisher.expireFlows();
    }

    /**
     * Installs left half-way by a stop: {@code connecting} (the exchange never finished) or
     * {@code pending_auth} without a waiting flow. They fail with a reason; nothing was stored.
     */
    public void recoverInterrupted() {
        finisher.recoverInterrupted();
    }

    /** Forgets the install's OAuth sign-ins still waiting for a callback (it switches to browser login). */
    public void forgetPendingFlows(String installId) {
        flows.removeFor(installId);
    }

    /**
     * Uninstalls, revoking first (RFC 7009) while the tokens are still there to revoke. A refused
     * or failed revocation is written to the audit log and the uninstall goes on: a proxy that is
     * down must not keep a user from removing a server.
     */
    public void uninstall(String installId) {
        store.credentials(installId).ifPresent(credentials -> revoke(installId, credentials));
        installs.uninstall(installId);
    }

    /**
     * Revokes OAuth credentials through the proxy (RFC 7009): the refresh token when there is one
     * (which ends the grant), else the access token. Credentials of another method are left alone.
     * The outcome goes to the install's audit log ({@code revoked} / {@code revoke_failed}); nothing
     * is thrown, so a proxy that is down never stops what the caller does next.
     */
    public void revoke(String installId, Credentials credentials) {
        if (credentials.method() != AuthMethod.OAUTH || handlers.containsKey(credentials.provider())) {
            return; // a handed flow's grant is revoked by its handler's package (remote.Remotes)
        }
        String refreshToken = credentials.values().get("refreshToken");
        String token = refreshToken != null ? refreshToken : credentials.values().get("accessToken");
        if (token == null) {
            return;
        }
        ProxyAnswer answer = proxy.revoke(credentials.provider(), token,
                refreshToken != null ? "refresh_token" : "access_token");
        if (answer instanceof ProxyAnswer.Revoked) {
            store.audit(installId, "revoked", credentials.provider());
        } else if (answer instanceof ProxyAnswer.Refused refused) {
            store.audit(installId, "revoke_failed",
                    credentials.provider() + ": " + refused.error() + ": " + refused.description());
        } else if (answer instanceof ProxyAnswer.Unavailable unavailable) {
            store.audit(installId, "revoke_failed", credentials.provider() + ": " + unavailable.reason());
        }
    }

    private static String waiting(ProviderDefinition provider) {
        return "Waiting for you to sign in to " + provider.displayName() + " in your browser.";
    }
}
