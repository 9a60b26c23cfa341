package dev.latchkey.proxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.util.Pool;

/**
 * A pool of connections to one provider whose idle connections wait in a queue, so taking one is
 * constant time. Jetty's client pool searches its list of connections from the first one on for
 * an idle one; with a slow provider nearly all of a thousand connections are busy, and that search
 * was the proxy's largest single cost at 1,000 clients (docs/benchmarks-oauth-proxy.md). The most
 * recently released connection is taken first, as Jetty's pool does, so the ones left over go idle
 * and are closed by the client's idle timeout.
 *
 * <p>It keeps the contract of Jetty's {@link Pool} for connections that carry one exchange at a
 * time (HTTP/1.1): an entry is reserved while its connection opens, then idle or in use; removing
 * an entry in use frees it at once; a terminated pool hands out nothing. One lock guards it all:
 * every operation is a few field writes, but for removing an idle entry (a connection closed while
 * idle), which searches the queue.
 */
final class IdlePool<P> implements Pool<P> {

    private final int maxSize;
    private final Set<Slot> entries = new LinkedHashSet<>();
    /** Idle entries, the most recently released last. */
    private final ArrayDeque<Slot> idle = new ArrayDeque<>();
    private boolean terminated;

    IdlePool(int maxSize) {
        this.maxSize = maxSize;
    }

    /** Jetty's client's connection pool for one destination, on an {@code IdlePool} of {@code max} connections. */
    static final class Connections extends AbstractConnectionPool {
        Connections(Destination destination, int max) {
            super(destination, () -> new IdlePool<Connection>(max), 1);
        }
    }

    @Override
    public synchronized Entry<P> reserve() {
        if (terminated || entries.size() >= maxSize) {
            return null;
        }
        Slot slot = new Slot();
        entries.add(slot);
        return slot;
    }

    @Override
    public synchronized Entry<P> acquire() {
        if (terminated) {
            return null;
        }
        Slot slot = idle.pollLast();
        if (slot != null) {
            slot.use = 1;
        }
        return slot;
    }

    /** Counted as kept, not by walking every entry as {@link Pool}'s default does. */
    @Override
    public synchronized int getIdleCount() {
        return idle.size();
    }

    @Override
    public synchronized boolean isTerminated() {
        return terminated;
    }

    @Override
    public synchronized Collection<Entry<P>> terminate() {
        terminated = true;
        List<Entry<P>> all = new ArrayList<>(entries);
        entries.clear();
        idle.clear();
        return all;
    }

    @Override
    public synchronized int size() {
        return entries.size();
    }

    @Override
    public int getMaxSize() {
        return maxSize;
    }

    @Override
    public synchronized Stream<Entry<P>> stream() {
        return new ArrayList<Entry<P>>(entries).stream();
    }

    @Override
    public synchronized String toString() {
        return "IdlePool[size=" + entries.size() + ",max=" + maxSize + ",terminated=" + terminated + "]";
    }

    /** An entry: reserved ({@code use} -1), idle (0) or in use (1); terminated once removed or the pool is. */
    private final class Slot implements Entry<P> {
        private P pooled;
        private int use = -1;
        private boolean removed;

        /** Guarded by the pool's lock, as every field. */
        private boolean ended() {
            return removed || IdlePool.this.terminated;
        }

        @Override
        public boolean enable(P value, boolean acquire) {
            synchronized (IdlePool.this) {
                if (ended()) {
                    return false;
                }
                if (use != -1) {
                    throw new IllegalStateException("entry already enabled");
                }
                pooled = value;
                use = acquire ? 1 : 0;
                if (!acquire) {
                    idle.addLast(this);
                }
                return true;
            }
        }

        @Override
        public P getPooled() {
            synchronized (IdlePool.this) {
                return pooled;
            }
        }

        @Override
        public boolean release() {
            synchronized (IdlePool.this) {
                if (ended() || use != 1) {
                    return false;
                }
                use = 0;
                idle.addLast(this);
                return true;
            }
        }

        @Override
        public boolean remove() {
            synchronized (IdlePool.this) {
                if (removed) {
                    return false;
                }
                removed = true;
                if (use == 0) {
                    // Rare (a connection closed while idle), so the queue's linear removal is fine;
                    // left in the queue, a closed connection would stay referenced until taken.
                    idle.remove(this);
                }
                use = Math.min(use, 0);
                entries.remove(this);
                return true;
            }
        }

        @Override
        public boolean isReserved() {
            synchronized (IdlePool.this) {
                return use == -1;
            }
        }

        @Override
        public boolean isIdle() {
            synchronized (IdlePool.this) {
                return use == 0;
            }
        }

        @Override
        public boolean isInUse() {
            synchronized (IdlePool.this) {
                return use == 1;
            }
        }

        @Override
        public boolean isTerminated() {
            synchronized (IdlePool.this) {
                return ended();
            }
        }

        @Override
        public String toString() {
            synchronized (IdlePool.this) {
                return "Slot[use=" + use + ",terminated=" + ended() + ",pooled=" + pooled + "]";
            }
        }
    }
}
