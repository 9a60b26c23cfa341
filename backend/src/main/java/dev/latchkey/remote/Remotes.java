package dev.latchkey.remote;

import dev.latchkey.catalog.Catalog;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStore;
import dev.latchkey.oauth.OAuthService;
import dev.latchkey.oauth.ProxyAnswer;
import dev.latchkey.oauth.TokenRefresher;
import dev.latchkey.runtime.McpRuntime;
import dev.latchkey.runtime.RunningServers;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The remote-server pieces of a running backend, wired to the rest: remote sign-ins finish at the
 * OAuth callback ({@link OAuthService#handFlows}), their tokens are refreshed by the
 * {@link TokenRefresher} at the server's own authorization server, the MCP runtime leaves remote
 * installs to {@link RemoteRuntime}, and the gateway serves both.
 */
public final class Remotes implements AutoCloseable {

    /** Metadata, registration and token requests wait at most this long. */
    static final Duration AUTH_TIMEOUT = Duration.ofSeconds(20);

    private final RemoteStore store;
    private final RemoteInstalls installs;
    private final RemoteRuntime runtime;

    private Remotes(RemoteStore store, RemoteInstalls installs, RemoteRuntime runtime) {
        this.store = store;
        this.installs = installs;
        this.runtime = runtime;
    }

    public static Remotes wire(Catalog catalog, Database database, SecretVault vault, InstallService installs, InstallStore store,
            InstallEvents events, OAuthService oauth, McpRuntime local, Duration requestTimeout, URI proxyUrl,
            Optional<URI> clientMetadataDocument, Clock clock) {
        RemoteStore remotes = new RemoteStore(database, vault, clock);
        StepUps stepUps = new StepUps();
        RemoteInstalls remoteInstalls = new RemoteInstalls(installs, store, remotes, oauth, clientMetadataDocument,
                proxyUrl, AUTH_TIMEOUT, clock, stepUps);
        oauth.handFlows(RemoteInstalls.PROVIDER, remoteInstalls);
        RemoteRuntime runtime = new RemoteRuntime(catalog, installs, store, remotes, events, requestTimeout, stepUps);
        local.leaveTo(runtime::owns);
        return new Remotes(remotes, remoteInstalls, runtime);
    }

    public RemoteInstalls installs() {
        return installs;
    }

    /** What the gateway serves: the local servers and these. */
    public RunningServers joined(RunningServers local) {
        return new JoinedServers(local, runtime);
    }

    /** Connects again what was connected when the app stopped. */
    public void resume() {
        runtime.resume();
    }

    /** Has {@code refresher} refresh remote tokens at each server's authorization server. */
    public void refreshThrough(TokenRefresher refresher) {
        refresher.route(RemoteInstalls.PROVIDER, this::refresh);
    }

    private ProxyAnswer refresh(String installId, Credentials credentials, String refreshToken) {
        try {
            RemoteStore.Server server = store.find(installId).orElseThrow(() -> new RemoteAuthException(
                    RemoteAuthException.Reason.REFUSED, "the install is no longer a remote server"));
            AuthServerMetadata as = installs.discovery().authServer(URI.create(server.issuer()));
            RemoteClient client = installs.registrar().signedInAs(as, credentials.values());
            Tokens tokens = installs.tokens().refresh(as.tokenEndpoint(), client, refreshToken, URI.create(server.resource()));
            return new ProxyAnswer.Tokens(tokens.accessToken(), tokens.refreshToken(), tokens.expiresIn(), Map.of());
        } catch (RemoteAuthException e) {
            return switch (e.reason()) {
                case INVALID_GRANT -> new ProxyAnswer.Refused(400, "invalid_grant", e.getMessage());
                case UNREACHABLE -> new ProxyAnswer.Unavailable(e.getMessage());
                default -> new ProxyAnswer.Refused(400, "refused", e.getMessage());
            };
        }
    }

    @Override
    public void close() {
        runtime.close();
    }
}
