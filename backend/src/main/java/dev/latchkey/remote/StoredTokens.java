package dev.latchkey.remote;

import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStore;
import java.util.Optional;

/**
 * {@link BearerAuth.Tokens} of an installed remote server: the access token from the vault, read
 * anew for each request (a refresh by the scheduler, or a step-up's sign-in, reaches the next
 * request with no reconnect). A 401 is never answered with a sign-in here: it ends the connection
 * (the runtime marks the install {@code needs_reauth} with the server's error, never a loop). A 403
 * {@code insufficient_scope} that names a scope not held yet is a step-up ({@link StepUp}): on a
 * call, the call waits for the user to sign in again with it ({@link StepUps}; the install's reason
 * says so and the page's Reconnect asks for it) and is sent once more; while connecting, the
 * install becomes {@code needs_reauth} with the scopes kept for that Reconnect.
 */
final class StoredTokens implements BearerAuth.Tokens {

    private final String installId;
    private final String name;
    private final InstallStore store;
    private final InstallService installs;
    private final RemoteStore remotes;
    private final StepUps stepUps;
    /** Set once the install runs: from then on a refusal is a call's, which may wait for the user. */
    private volatile boolean serving;

    StoredTokens(String installId, String name, InstallStore store, InstallService installs, RemoteStore remotes,
            StepUps stepUps) {
        this.installId = installId;
        this.name = name;
        this.store = store;
        this.installs = installs;
        this.remotes = remotes;
        this.stepUps = stepUps;
    }

    void serving() {
        serving = true;
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
        if (server.isEmpty() || wanted.isEmpty() || !StepUp.widens(Optional.ofNullable(server.get().scope()), challenge)) {
            return false; // signed in with those scopes already (no loop): the call ends with the server's answer
        }
        if (!serving) {
            stepUps.want(installId, wanted.get());
            installs.transition(installId, InstallStatus.NEEDS_REAUTH, "The server asks for more access (scope "
                    + wanted.get() + "). Press Reconnect to sign in again with it.");
            return false;
        }
        installs.note(installId, "A call to " + name + " needs more access (scope " + wanted.get() + "). Press Reconnect"
                + " to sign in with it; the call waits " + stepUps.waitLimit().toMinutes() + " minutes for you.");
        if (stepUps.await(installId, wanted.get())) {
            return true;
        }
        installs.note(installId, "A call to " + name + " needed more access (scope " + wanted.get() + ") and no sign-in"
                + " came within " + stepUps.waitLimit().toMinutes() + " minutes. Press Reconnect to sign in with it, then call again.");
        return false;
    }
}
