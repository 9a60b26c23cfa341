package dev.latchkey.sandbox;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts sandboxed servers from one thread that lives as long as the app. bubblewrap's
 * {@code --die-with-parent} is {@code PR_SET_PDEATHSIG}, which the kernel fires when the
 * <em>thread</em> that forked bwrap ends, not the process: started from a runtime lane (whose
 * thread ends when idle) a sandbox would be killed ten seconds later. From this thread it is
 * killed only when the app dies, also by {@code kill -9}.
 */
public final class Spawner {

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "sandbox-spawner");
        thread.setDaemon(true);
        return thread;
    });

    private Spawner() {
    }

    /** {@code builder.start()} on the spawner's thread. */
    public static Process start(ProcessBuilder builder) throws IOException {
        Future<Process> started = THREAD.submit(builder::start);
        try {
            return started.get();
        } catch (InterruptedException e) {
            // It may start all the same: then it is ended at once (its sandbox dies with bwrap).
            THREAD.execute(() -> {
                if (started.isDone() && !started.isCancelled()) {
                    try {
                        started.get().destroyForcibly();
                    } catch (InterruptedException | ExecutionException ignored) {
                        // it did not start
                    }
                }
            });
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + builder.command().get(0), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("starting " + builder.command().get(0) + " failed", e.getCause());
        }
    }
}
