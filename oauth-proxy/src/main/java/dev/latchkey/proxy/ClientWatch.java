package dev.latchkey.proxy;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client that closes its connection while its exchange waits for the provider, so the
 * call to the provider can be abandoned and its slot freed.
 *
 * <p>Jetty reads nothing from an HTTP/1.1 connection while a request on it is being handled, so a
 * client that gives up is otherwise noticed only when its answer is written, after the provider
 * has answered. The watch asks the connection's endpoint to call back when it becomes readable,
 * which after a whole request can mean one of two things:
 * <ol>
 *   <li>the end of the stream: the client went away;
 *   <li>bytes of another request: the client pipelined after a POST, which RFC 9112 §9.3.2 says it
 *       should not; having read them, the watch cannot give them back, so the connection is closed.
 * </ol>
 * Either way the watch closes the connection and runs {@code onGone}. It must be stopped before the
 * answer is written, so that the connection can ask for the next request itself.
 */
final class ClientWatch implements Callback {

    private enum State { WATCHING, STOPPED, FIRED }

    private static final ClientWatch NONE = new ClientWatch(null, () -> { });

    private final AbstractEndPoint endPoint;
    private final Runnable onGone;
    private final AtomicReference<State> state = new AtomicReference<>(State.WATCHING);
    /** Whether this watch's interest is registered with the endpoint; guarded by this watch's lock. */
    private boolean interested;

    private ClientWatch(AbstractEndPoint endPoint, Runnable onGone) {
        this.endPoint = endPoint;
        this.onGone = onGone;
    }

    /**
     * Starts watching the request's connection; call once the request's body has been read. Jetty's
     * own failures of the request (the server stopping, an idle timeout) count as the client gone too.
     */
    static ClientWatch start(Context ctx, Runnable onGone) {
        Request request = ServletContextRequest.getServletContextRequest(ctx.req());
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (!(endPoint instanceof AbstractEndPoint watched)) {
            return NONE;
        }
        ClientWatch watch = new ClientWatch(watched, onGone);
        request.addFailureListener(failure -> watch.gone());
        synchronized (watch) {
            // False when the connection is still reading itself; then only Jetty's failures are seen.
            watch.interested = watched.tryFillInterested(watch);
        }
        return watch;
    }

    /**
     * Stops watching because the exchange is over; true when its answer is to be written, false
     * when the client went away (or the server closed the connection) first. After it returns the
     * watch neither reads nor asks to read, so the connection's next request is the connection's.
     */
    boolean stop() {
        if (endPoint == null) {
            return true;
        }
        synchronized (this) {
            if (state.compareAndSet(State.WATCHING, State.STOPPED) && interested) {
                // This watch's interest is the registered one: the connection asks only after the answer.
                interested = false;
                endPoint.getFillInterest().onFail(new StoppedWatching());
            }
            return state.get() == State.STOPPED;
        }
    }

    /**
     * The connection is readable: end of stream or bytes of another request, or nothing (then it
     * watches on). Reading and asking again happen under the same lock as {@link #stop}, so neither
     * can slip in after the watch was stopped.
     */
    @Override
    public void succeeded() {
        synchronized (this) {
            interested = false;
            if (state.get() != State.WATCHING) {
                return;
            }
            int filled;
            try {
                filled = endPoint.fill(BufferUtil.allocate(1));
            } catch (IOException e) {
                filled = -1;
            }
            if (filled == 0) {
                interested = endPoint.tryFillInterested(this);
                return;
            }
        }
        gone();
    }

    @Override
    public void failed(Throwable cause) {
        if (!(cause instanceof StoppedWatching)) {
            gone();
        }
    }

    private void gone() {
        if (state.compareAndSet(State.WATCHING, State.FIRED)) {
            endPoint.close();
            onGone.run();
        }
    }

    /** The cause a stopped watch's interest is withdrawn with. */
    private static final class StoppedWatching extends Exception {
        StoppedWatching() {
            super("stopped watching", null, false, false);
        }
    }
}
