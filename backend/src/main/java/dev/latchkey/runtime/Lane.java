package dev.latchkey.runtime;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** An install's lane: its tasks one at a time, in order, on a daemon thread that ends when idle. */
final class Lane {

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
}
