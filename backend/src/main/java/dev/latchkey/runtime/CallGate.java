package dev.latchkey.runtime;

import dev.latchkey.runtime.RunningServers.CallPermit;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The calls under way to one install's server, and the gate new ones pass: to restart a server on
 * refreshed credentials without failing calls, the runtime drains it (new calls wait here, calls
 * under way finish), restarts it, and opens the gate again.
 */
final class CallGate {

    private int underWay;
    private boolean draining;

    /**
     * Lets one call through, waiting at most {@code limit} while the server is drained.
     *
     * @throws IllegalStateException when the gate stays shut for longer than {@code limit}
     */
    synchronized CallPermit enter(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (draining) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("its server is restarting with refreshed credentials and did not take"
                        + " calls again within " + limit.toSeconds() + " s");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the call was ended while its server restarted", e);
            }
        }
        underWay++;
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                exit();
            }
        };
    }

    private synchronized void exit() {
        underWay--;
        notifyAll();
    }

    /** Shuts the gate: new calls wait from now on, until it is opened. */
    synchronized void shut() {
        draining = true;
    }

    /**
     * Shuts the gate and waits until no call is under way, at most {@code limit} or until the gate
     * is opened meanwhile; true when none is.
     */
    synchronized boolean drain(Duration limit) {
        draining = true;
        long deadline = System.nanoTime() + limit.toNanos();
        while (underWay > 0 && draining) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return underWay == 0;
    }

    /**
     * Runs {@code work} (a restart) once the calls under way are over, or {@code limit} passed, with
     * new calls held at the gate, then lets them through.
     */
    void drained(Duration limit, Runnable work) {
        drain(limit);
        try {
            work.run();
        } finally {
            open();
        }
    }

    /** Lets waiting and new calls through again; ends a drain that waits. */
    synchronized void open() {
        draining = false;
        notifyAll();
    }
}
