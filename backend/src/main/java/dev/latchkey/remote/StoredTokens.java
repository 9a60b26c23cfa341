package dev.latchkey.remote;

import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStore;
import java.util.Optional;

/**
 * {@link BearerAuth.Tokens} of an installed remote server: the access token from the vault, read
 * anew for each request (a refresh by the scheduler reaches the next request with no reconnect).
 * No refusal is answered with a sign-in here, where no person waits: a 401 ends the connection
 * (the runtime marks the install {@code needs_reauth} with the server's error, never a loop); a 403
 * {@code insufficient_scope} keeps the scopes the server names for the next sign-in and asks for
 * it the same way (the step-up is the user's Reconnect).
 */
final class StoredTokens implements BearerAuth.Tokens {

    private final String installId;
    private final InstallStore store;
    private final InstallService installs;
    private final RemoteStore remotes;

    StoredTokens(String installId, InstallStore store, InstallService installs, RemoteStore remotes) {
        this.installId = installId;
        this.store = store;
        this.installs = installs;
        this.remotes = remotes;
    }

    @Override
    public Optional<String> current() {
        return store.credentials(installId).map(c -> c.values().get("accessToken"));
    }

    @Override
    public boolean unauthorized(Challenge challenge) {
        return false;
    }

    @Override
    public boolean insufficientScope(Challenge challenge) {
        Optional<RemoteStore.Server> server = remotes.find(installId);
        Optional<String> wanted = challenge.scope();
        if (server.isEmpty() || wanted.isEmpty()) {
            return false;
        }
        java.util.Set<String> scopes = new java.util.LinkedHashSet<>();
        if (server.get().scope() != null) {
            scopes.addAll(java.util.List.of(server.get().scope().split(" ")));
        }
        scopes.addAll(java.util.List.of(wanted.get().split(" ")));
        remotes.grant(installId, server.get().issuer(), server.get().resource(), String.join(" ", scopes),
                server.get().account());
        installs.transition(installId, InstallStatus.NEEDS_REAUTH, "The server asks for more access (scope "
                + wanted.get() + "). Press Reconnect to sign in again with it.");
        return false;
    }
}
