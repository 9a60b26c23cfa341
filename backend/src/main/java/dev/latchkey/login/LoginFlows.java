package dev.latchkey.login;

import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallRefusedException.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sign-ins under way, at most one per install, each on a thread of its own. A sign-in is
 * cancelled by its {@link LoginCancel} flag, never by an interrupt, and stays busy until its
 * thread has ended: a second one for the install is refused meanwhile, and what must wait for the
 * window to be gone (deleting the session folder) runs only then ({@link #cancelThen}).
 */
final class LoginFlows implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoginFlows.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private record Flow(LoginCancel cancel, CompletableFuture<Void> ended) {
    }

    private final ExecutorService threads = Executors.newCachedThreadPool(BrowserConnections.daemon("latchkey-browser-login"));
    private final Map<String, Flow> running = new ConcurrentHashMap<>();

    /** Runs {@code work} on a thread of its own; refused (busy) while the install has a sign-in. */
    void begin(String id, Consumer<LoginCancel> work) {
        Flow flow = new Flow(new LoginCancel(), new CompletableFuture<>());
        running.compute(id, (key, open) -> {
            if (open != null) {
                throw new InstallRefusedException(Reason.BUSY, "a login window is already open for this install");
            }
            return flow;
        });
        try {
            threads.execute(() -> {
                try {
                    work.accept(flow.cancel());
                } finally {
                    running.remove(id, flow);
                    flow.ended().complete(null);
                }
            });
        } catch (RuntimeException e) {
            running.remove(id, flow);
            throw e;
        }
    }

    /** Whether the install has a sign-in whose thread has not ended (a cancelled one included). */
    boolean busy(String id) {
        return running.containsKey(id);
    }

    /** Asks the install's sign-in to close its window; refused when there is none. */
    void cancel(String id) {
        Flow flow = running.get(id);
        if (flow == null) {
            throw new InstallRefusedException(Reason.NOT_FOUND, "no login window is open for install \"" + id + "\"");
        }
        flow.cancel().cancel();
    }

    /** Cancels the install's sign-in, if any, and runs {@code after} once its thread has ended (at once when none). */
    void cancelThen(String id, Runnable after) {
        Flow flow = running.get(id);
        if (flow == null) {
            after.run();
            return;
        }
        flow.cancel().cancel();
        flow.ended().whenComplete((done, failure) -> after.run());
    }

    /** Cancels every sign-in and waits (bounded) for their windows to close; no thread is interrupted. */
    @Override
    public void close() {
        List<Flow> open = List.copyOf(running.values());
        open.forEach(flow -> flow.cancel().cancel());
        threads.shutdown();
        try {
            if (!threads.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} login window(s) did not close within {} s", running.size(), CLOSE_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
