package dev.latchkey.remote;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Step-ups of installed remote servers in the app: a call refused with 403 {@code insufficient_scope}
 * waits here, for at most {@link #WAIT} (or the limit it was made with), until the user has signed
 * in again with the scopes the server named (the page's Reconnect, which asks for {@link #wanted}
 * too), and is then sent once more with the new token. Kept in memory: a step-up is about the call
 * that waits for it.
 */
final class StepUps {

    /** How long a refused call waits for the user's sign-in; an MCP client rarely waits longer for a call. */
    static final Duration WAIT = Duration.ofMinutes(2);

    private final Map<String, String> wanted = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final Duration wait;

    StepUps() {
        this(WAIT);
    }

    StepUps(Duration wait) {
        this.wait = wait;
    }

    /** How long a refused call waits for the user's sign-in. */
    Duration waitLimit() {
        return wait;
    }

    /** Notes scopes a server asked for, for the install's next sign-in. */
    void want(String installId, String scope) {
        wanted.merge(installId, scope, (had, more) -> StepUp.union(Optional.of(had), more));
    }

    /** The scopes the next sign-in asks for besides the ones held, when a server asked for more. */
    Optional<String> wanted(String installId) {
        return Optional.ofNullable(wanted.get(installId));
    }

    /**
     * Waits for a sign-in with {@code scope} (calls of one install share the wait); true when one
     * finished in time, so the call may be sent again.
     */
    boolean await(String installId, String scope) {
        want(installId, scope);
        CompletableFuture<Void> signedIn = waiting.computeIfAbsent(installId, id -> new CompletableFuture<>());
        try {
            signedIn.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.remove(installId, signedIn);
        }
    }

    /** Whether a call waits for a sign-in of this install now. */
    boolean waiting(String installId) {
        return waiting.containsKey(installId);
    }

    /** The install's connection closed (stopped, signed out, uninstalled): a waiting call ends now. */
    void cancel(String installId) {
        CompletableFuture<Void> signedIn = waiting.remove(installId);
        if (signedIn != null) {
            signedIn.completeExceptionally(new IllegalStateException("the install's connection closed"));
        }
    }

    /** A sign-in of the install finished: the waiting calls go on, and nothing more is wanted. */
    void signedIn(String installId) {
        wanted.remove(installId);
        CompletableFuture<Void> signedIn = waiting.remove(installId);
        if (signedIn != null) {
            signedIn.complete(null);
        }
    }
}
