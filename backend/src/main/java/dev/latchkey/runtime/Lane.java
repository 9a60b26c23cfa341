package dev.latchkey.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An install's lane: its tasks one at a time, in order, on a daemon thread that ends when idle. */
final class Lane {

    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

    private Lane() {
    }

    static ThreadPoolExecutor of(String installId) {
        ThreadPoolExecutor lane = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "mcp-runtime-" + installId);
            thread.setDaemon(true);
            return thread;
        });
        lane.allowCoreThreadTimeOut(true);
        return lane;
    }

    /**
     * Runs {@code task} on {@code lane}; a failure is logged here, since no caller may be waiting
     * to hear of it. A lane shut down takes nothing more.
     */
    static CompletableFuture<Void> run(ThreadPoolExecutor lane, String installId, Runnable task) {
        try {
            return CompletableFuture.runAsync(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("a runtime task of install {} failed", installId, e);
                    throw e;
                }
            }, lane);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
