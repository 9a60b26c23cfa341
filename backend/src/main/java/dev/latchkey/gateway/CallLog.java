package dev.latchkey.gateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and audits tools/calls on one writer thread, so a call does not wait for the database:
 * what queued up while the writer wrote goes in the next transaction together. Closing writes
 * everything queued before it returns; a call recorded after that is written at once, on the
 * caller's thread, so no row is lost on a normal shutdown.
 */
final class CallLog implements AutoCloseable {

    /** One tools/call: who called which install's tool, and when (never arguments or results). */
    record Call(String clientId, String installId, String tool, Instant at) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(CallLog.class);

    /** Put in the queue by {@link #close()}: the writer stops once it reaches it. */
    private static final Call END = new Call("", "", "", Instant.EPOCH);

    /** At most this many calls in one transaction. */
    private static final int MAX_BATCH = 500;

    private final Consumer<List<Call>> store;
    private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private boolean closed;

    /** {@code store} writes a batch of calls in one transaction. */
    CallLog(Consumer<List<Call>> store) {
        this.store = store;
        // Never interrupted: an interrupt during H2's file I/O would close the database file.
        this.writer = new Thread(this::write, "latchkey-call-log");
        writer.setDaemon(true);
        writer.start();
    }

    void add(Call call) {
        boolean queued;
        synchronized (this) {
            queued = !closed && queue.add(call);
        }
        if (!queued) {
            store.accept(List.of(call));
        }
    }

    private void write() {
        List<Call> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean end = batch.remove(END);
            try {
                store.accept(batch);
            } catch (RuntimeException e) {
                LOG.error("{} tool calls could not be counted and audited: {}", batch.size(), e.getMessage());
            }
            batch.clear();
            if (end) {
                return;
            }
        }
    }

    /** Writes what is queued and stops the writer; later calls are written as they come. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(END);
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
