package dev.latchkey.remote;

import dev.latchkey.catalog.CatalogServer;
import dev.latchkey.catalog.Substitution;
import dev.latchkey.catalog.UserConfig;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.oauth.CallbackOutcome;
import dev.latchkey.oauth.FlowHandler;
import dev.latchkey.oauth.OAuthService;
import dev.latchkey.oauth.Pkce;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remote MCP servers installed in the app: from a catalog manifest with {@code server.type:
 * "remote"} or by URL. Before anything is stored the server is asked whether it wants a sign-in
 * ({@link Probe}); one that does gets MCP authorization through the app's own OAuth pieces (the
 * pending-flow table, the loopback {@code /oauth/callback}, the vault), so the install answers
 * like an OAuth one, with where to sign in. The tokens are the install's credentials (provider
 * {@link #PROVIDER}); the grant's issuer, resource and scope are in {@link RemoteStore}.
 */
public final class RemoteInstalls implements FlowHandler {

    /** The provider name of remote sign-ins' flows and credentials (no provider definition may have it: it has no dash rule clash). */
    public static final String PROVIDER = "remote-mcp";
    /**
     * The catalog name of a server added by URL starts so: {@code remote__<its name as a slug>}, whose
     * second half the gateway makes its tools' prefix of, as it does of a catalog name.
     */
    public static final String BY_URL = "remote__";

    private final InstallService installs;
    private final InstallStore store;
    private final RemoteStore remotes;
    private final OAuthService oauth;
    private final Clock clock;
    private final Probe probe;
    private final Discovery discovery;
    private final Registrar registrar;
    private final TokenClient tokens;
    private final StepUps stepUps;

    /** An install and, when it waits for a sign-in, where to sign in. */
    public record Started(Install install, Optional<URI> authorizationUrl) {
    }

    RemoteInstalls(InstallService installs, InstallStore store, RemoteStore remotes, OAuthService oauth,
            Optional<URI> clientMetadataDocument, URI proxyUrl, Duration timeout, Clock clock, StepUps stepUps) {
        this.installs = installs;
        this.stepUps = stepUps;
        this.store = store;
        this.remotes = remotes;
        this.oauth = oauth;
        this.clock = clock;
        AuthHttp http = new AuthHttp(timeout);
        this.probe = new Probe(timeout);
        this.discovery = new Discovery(http);
        this.registrar = new Registrar(http, new ProxyIssuers(proxyUrl, new AuthHttp(ProxyIssuers.TIMEOUT), clock), remotes,
                clientMetadataDocument);
        this.tokens = new TokenClient(http, proxyUrl);
    }

    TokenClient tokens() {
        return tokens;
    }

    Discovery discovery() {
        return discovery;
    }

    Registrar registrar() {
        return registrar;
    }

    /** {@code {"remoteUrl": …, "displayName": …}}: a server no catalog lists. */
    public Started installByUrl(String url, String displayName) {
        URI server = RemoteUrl.parse(url);
        String name = displayName == null || displayName.isBlank() ? server.getHost() : displayName.strip();
        if (name.length() > 200) {
            throw new InstallRefusedException(InstallRefusedException.Reason.NOT_RUNNABLE,
                    "displayName: at most 200 characters, got " + name.length());
        }
        Optional<Challenge> challenge = probe.challenge(server, Map.of());
        Install install = installs.installUnlisted(BY_URL + slug(name), name, "Connecting to " + server.getHost() + "…",
                remotes.row(server));
        return begin(install, server, challenge);
    }

    /** A catalog server whose manifest says {@code server.type: "remote"}. */
    public Started install(InstallRequest request, CatalogServer server) {
        URI url = RemoteUrl.parse(server.server().url());
        Map<String, String> headers = Substitution.headers(server, UserConfig.validate(server, request.userConfig()));
        Optional<Challenge> challenge = probe.challenge(url, headers);
        Install install = installs.installPending(new InstallRequest(request.catalogName(), request.userConfig(),
                AuthMethod.NONE), "Connecting to " + url.getHost() + "…", remotes.row(url));
        return begin(install, url, challenge);
    }

    private Started begin(Install install, URI server, Optional<Challenge> challenge) {
        if (challenge.isEmpty()) {
            return new Started(installs.transition(install.id(), InstallStatus.CONNECTED, "No sign-in needed.").install(),
                    Optional.empty());
        }
        try {
            return new Started(installs.find(install.id()).orElseThrow(), Optional.of(signIn(install, server, challenge.get())));
        } catch (RemoteAuthException e) {
            store.audit(install.id(), "oauth_failed", e.getMessage());
            Install failed = installs.transition(install.id(), InstallStatus.FAILED, sentence(e.getMessage())).install();
            return new Started(failed, Optional.empty());
        }
    }

    /** Starts a sign-in (the first, a Reconnect or a step-up); answers the authorization URL to open. */
    URI signIn(Install install, URI server, Challenge challenge) {
        Discovery.Target target = discovery.discover(server, challenge);
        OAuthService.HandedFlow flow = oauth.startFlow(install.id(), PROVIDER);
        RemoteClient client = registrar.client(target.authServer(), flow.redirectUri(), Optional.empty());
        RemoteStore.Server known = remotes.find(install.id()).orElseThrow();
        Optional<String> previous = Optional.ofNullable(known.scope()).filter(s -> !s.isBlank());
        Optional<String> scope = RemoteAuthorizer.scope(challenge, target, previous)
                .map(s -> stepUps.wanted(install.id()).map(more -> StepUp.union(Optional.of(s), more)).orElse(s))
                .or(() -> stepUps.wanted(install.id()));
        remotes.grant(install.id(), target.authServer().issuer().toString(), target.resourceIndicator().toString(),
                scope.orElse(null), known.account());
        installs.note(install.id(), "Waiting for you to sign in at " + target.authServer().issuer().getHost() + " in your browser.");
        return new AuthorizationRequest(target, client, flow.redirectUri(), flow.state(), flow.pkce(), scope).url();
    }

    public boolean isRemote(String installId) {
        return remotes.isRemote(installId);
    }

    /** Reconnect: a new sign-in for a remote install, from what its server says now. */
    public Started reconnect(String installId) {
        RemoteStore.Server server = remotes.find(installId).orElseThrow(() -> new InstallRefusedException(
                InstallRefusedException.Reason.NOT_FOUND, "no remote install has the id \"" + installId + "\""));
        Install install = installs.find(installId).orElseThrow();
        Challenge challenge = probe.challenge(server.url(), Map.of()).orElse(Challenge.NONE);
        return new Started(installs.find(installId).orElseThrow(), Optional.of(signIn(install, server.url(), challenge)));
    }

    @Override
    public CallbackOutcome finish(String installId, URI redirectUri, Pkce pkce, Map<String, String> query) {
        Install install = installs.find(installId).orElseThrow();
        boolean reconnect = store.credentials(installId).isPresent();
        // A call waits for this sign-in (a step-up): the new token goes to the connection as it is, as a refresh's does.
        boolean stepUp = reconnect && stepUps.waiting(installId);
        try {
            RemoteStore.Server server = remotes.find(installId).orElseThrow();
            AuthServerMetadata as = discovery.authServer(URI.create(server.issuer()));
            Discovery.Target target = new Discovery.Target(server.url(), new ResourceMetadata(URI.create(server.resource()),
                    java.util.List.of(as.issuer()), java.util.List.of()), as);
            RemoteClient client = registrar.client(as, redirectUri, Optional.empty());
            String code = new AuthorizationRequest(target, client, redirectUri, "", pkce, Optional.empty()).code(query);
            Tokens issued = tokens.exchange(as.tokenEndpoint(), client, code, pkce, redirectUri, target.resourceIndicator());
            Map<String, String> values = new LinkedHashMap<>();
            values.put("accessToken", issued.accessToken());
            if (issued.refreshToken() != null) {
                values.put("refreshToken", issued.refreshToken());
            }
            values.putAll(Registrar.remembered(client));
            remotes.grant(installId, server.issuer(), server.resource(), server.scope(), issued.account());
            installs.saveCredentials(installId, new Credentials(PROVIDER, AuthMethod.OAUTH, values,
                    issued.expiresIn() == null ? null : clock.instant().plusSeconds(issued.expiresIn()), issued.account()),
                    stepUp ? Why.REFRESHED : reconnect ? Why.RECONNECTED : Why.CONNECTED);
            Install now = stepUp
                    ? installs.note(installId, "Signed in again at " + as.issuer().getHost() + " with more access; the waiting call goes on.")
                    : installs.transition(installId, InstallStatus.CONNECTED, "Signed in at " + as.issuer().getHost() + ".")
                            .install();
            stepUps.signedIn(installId);
            return new CallbackOutcome.Connected(now, issued.account());
        } catch (RemoteAuthException e) {
            store.audit(installId, "oauth_failed", e.getMessage());
            if (reconnect) {
                installs.note(installId, "Reconnecting failed: " + sentence(e.getMessage()) + " The saved sign-in is kept.");
            } else {
                installs.transition(installId, InstallStatus.FAILED, sentence(e.getMessage()) + " Press Reconnect to try again.");
            }
            return new CallbackOutcome.Failed(400, "Latchkey could not connect", sentence(e.getMessage())
                    + " You can close this tab and try again from the Connectors page.");
        }
    }

    /**
     * Revokes a remote install's grant where its authorization server offers revocation (RFC 7009):
     * the refresh token when there is one, else the access token. The outcome goes to the audit log;
     * nothing is thrown, so an unreachable server never keeps a user from uninstalling.
     */
    public void revokeIfRemote(String installId) {
        Optional<RemoteStore.Server> server = remotes.find(installId);
        Optional<Credentials> credentials = store.credentials(installId);
        if (server.isEmpty() || credentials.isEmpty() || server.get().issuer() == null) {
            return;
        }
        try {
            AuthServerMetadata as = discovery.authServer(URI.create(server.get().issuer()));
            if (as.revocationEndpoint().isEmpty()) {
                store.audit(installId, "revoke_skipped", as.issuer() + " offers no revocation endpoint");
                return;
            }
            String refresh = credentials.get().values().get("refreshToken");
            RemoteClient client = registrar.signedInAs(as, credentials.get().values());
            boolean revoked = tokens.revoke(as.revocationEndpoint().get(), client,
                    refresh != null ? refresh : credentials.get().values().get("accessToken"),
                    refresh != null ? "refresh_token" : "access_token");
            store.audit(installId, revoked ? "revoked" : "revoke_failed", as.issuer().toString());
        } catch (RemoteAuthException e) {
            store.audit(installId, "revoke_failed", e.getMessage());
        }
    }

    private static String slug(String name) {
        String slug = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "server" : slug.length() > 60 ? slug.substring(0, 60) : slug;
    }

    /** "the server …" → "The server ….": the exception's clause as a sentence. */
    public static String sentence(String clause) {
        String s = clause.isEmpty() ? clause : Character.toUpperCase(clause.charAt(0)) + clause.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }
}
