package dev.latchkey.proxy;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.LoggerFactory;

/**
 * The proxy's HTTP client towards providers: kept-alive connections, connect and request timeouts,
 * no redirects, a cap on the answer's size, and failures turned into OAuth errors that name the
 * provider and nothing secret. It is a Jetty component, started and stopped with the proxy's server.
 *
 * <p>It is Jetty's own client rather than the JDK's: the JDK client hands every exchange from the
 * calling thread to its selector thread, to its executor and back, and on a machine with two cores
 * those hand-offs cost more than the exchange itself (see docs/benchmarks-oauth-proxy.md). Jetty's
 * client writes the request on the calling thread and completes the answer where it reads it, and
 * no thread waits for the provider meanwhile.
 */
final class Upstream extends ContainerLifeCycle {

    /** A token answer is a few kilobytes; anything near this is not a token answer. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;

    private static final long IDLE_CONNECTION_MILLIS = 30_000;

    /**
     * The client's threads: its selectors and what they hand off (connecting, TLS). Answers are read
     * and completed on the selector threads ({@code NON_BLOCKING} below), so a few are plenty.
     */
    private static final int MAX_THREADS = 8;

    /**
     * Selector threads of the client. Each reads the answers of its connections and writes them on
     * to the clients, and opens its new connections; with one, a burst (a level of clients arriving
     * at once, each needing a connection) queued on one core of the two. Two gave a lower p99 in
     * each of four alternating pairs at 256 slow-provider clients (e.g. 156 against 167 ms).
     */
    private static final int SELECTORS = 2;

    private final HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(SELECTORS));
    private final Duration timeout;
    private final ThrottledLog failures = new ThrottledLog(LoggerFactory.getLogger(Upstream.class),
            TimeUnit.SECONDS.toNanos(10), System::nanoTime);

    Upstream(ProxyConfig config) {
        this.timeout = config.upstreamTimeout();
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("upstream-http");
        client.setExecutor(threads);
        client.setConnectTimeout(config.upstreamConnectTimeout().toMillis());
        client.setMaxConnectionsPerDestination(config.upstreamMaxConnections());
        client.setMaxRequestsQueuedPerDestination(config.upstreamMaxQueued());
        // Jetty's own pool searches all connections for an idle one; IdlePool keeps them in a queue.
        client.getHttpClientTransport().setConnectionPoolFactory(
                destination -> new IdlePool.Connections(destination, client.getMaxConnectionsPerDestination()));
        // Pooled connections left idle are closed before most servers close them (often at 60 s), so a
        // request rarely meets a connection the provider is closing; a token request is not retried.
        client.setIdleTimeout(IDLE_CONNECTION_MILLIS);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        // One client serves every user: a cookie one provider answer sets must never go out with
        // another user's request.
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        // CappedAnswer only copies bytes and completes a future, so the selector thread that reads the
        // answer may run it, instead of handing each answer to another thread first.
        client.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        // One header cache per pooled connection; see ProxyServer.HEADER_CACHE_SIZE.
        ((HttpClientTransportOverHTTP) client.getHttpClientTransport()).setHeaderCacheSize(ProxyServer.HEADER_CACHE_SIZE);
        addBean(client);
    }

    /**
     * Starts the client without its protocol handlers and content decoders: a provider's redirect,
     * authentication challenge or interim answer is passed on as it came, never acted on (a 401
     * without {@code WWW-Authenticate} would otherwise fail as a protocol violation instead of
     * reading as {@code invalid_client}), and answers are asked for and read uncompressed, as the
     * size cap counts them. The client installs both when it starts, so they go after that.
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client.getProtocolHandlers().clear();
        client.getContentDecoderFactories().clear();
    }

    /**
     * Sends the call; the future completes with the whole answer, or exceptionally with an
     * {@link OAuthError.Failure}, within the request timeout. It completes on the thread that read
     * the answer, so what is chained to it must not block.
     */
    CompletableFuture<UpstreamAnswer> send(ProviderName provider, UpstreamRequest call) {
        Request request = client.newRequest(call.url())
                .method(call.method())
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> call.headers().forEach(headers::put))
                .body(new BytesRequestContent(call.contentType(), call.body().getBytes(StandardCharsets.UTF_8)));
        CappedAnswer answer = new CappedAnswer(provider, new Abortable<>(request));
        request.send(answer);
        return answer.result;
    }

    /**
     * The future of a call to a provider. Cancelling it, or any future made from it with
     * {@code thenApply}, {@code thenAccept} or {@code whenComplete} (which are of this class too),
     * aborts the call: the connection to the provider is closed, or the request leaves the queue.
     * So whoever holds the end of a chain, the proxy's handler, can abandon the call it started.
     */
    static final class Abortable<T> extends CompletableFuture<T> {
        private final Request request;

        Abortable(Request request) {
            this.request = request;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new Abortable<>(request);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                request.abort(new Abandoned());
            }
            return cancelled;
        }
    }

    /**
     * The failure as an OAuth error, logged once per provider and kind and interval (a storm of
     * failures writes one line, see {@link ThrottledLog}). Neither the answer nor the log carries the
     * cause's message: it may quote the URL, the request or the answer; its class names the cause.
     */
    private OAuthError.Failure failure(ProviderName provider, Throwable cause) {
        if (!(cause instanceof Abandoned)) {
            String kind = kind(cause);
            failures.warn(provider + " " + kind, provider + " call failed: " + kind + " (" + cause.getClass().getName() + ")");
        }
        return answer(provider, cause);
    }

    /** What went wrong, in the words the log uses. */
    static String kind(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "timeout";
        }
        if (cause instanceof RejectedExecutionException) {
            return "queue full";
        }
        if (cause instanceof AnswerTooLarge) {
            return "answer too large";
        }
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return "TLS failure";
            }
            if (c instanceof ConnectException) {
                return "connection refused";
            }
            if (c instanceof SocketTimeoutException) {
                return "connect timeout";
            }
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        return "connection failed";
    }

    private OAuthError.Failure answer(ProviderName provider, Throwable cause) {
        if (cause instanceof Abandoned) {
            return new OAuthError(503, "temporarily_unavailable", "the client went away before " + provider
                    + " answered").failure();
        }
        if (cause instanceof TimeoutException) {
            return new OAuthError(504, "temporarily_unavailable",
                    provider + " did not answer within " + timeout.toMillis() + " ms").failure();
        }
        if (cause instanceof RejectedExecutionException) {
            return new OAuthError(503, "temporarily_unavailable", "this proxy has too many requests waiting for "
                    + provider + "; retry in " + ProxyServer.RETRY_AFTER_SECONDS + " s").failure();
        }
        if (cause instanceof AnswerTooLarge) {
            return new OAuthError(502, "server_error", provider + " sent an answer over "
                    + MAX_ANSWER_BYTES + " bytes").failure();
        }
        return new OAuthError(502, "temporarily_unavailable", provider + " could not be reached").failure();
    }

    /** Collects the answer up to {@link #MAX_ANSWER_BYTES} and aborts the exchange past that. */
    private final class CappedAnswer implements Response.Listener {
        private final ProviderName provider;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final Abortable<UpstreamAnswer> result;

        CappedAnswer(ProviderName provider, Abortable<UpstreamAnswer> result) {
            this.provider = provider;
            this.result = result;
        }

        @Override
        public void onHeaders(Response response) {
            if (response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > MAX_ANSWER_BYTES) {
                response.abort(new AnswerTooLarge());
            }
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            if (body.size() + content.remaining() > MAX_ANSWER_BYTES) {
                response.abort(new AnswerTooLarge());
                return;
            }
            byte[] bytes = new byte[content.remaining()];
            content.get(bytes);
            body.writeBytes(bytes);
        }

        @Override
        public void onComplete(Result outcome) {
            if (outcome.isFailed()) {
                result.completeExceptionally(failure(provider, outcome.getFailure()));
                return;
            }
            Response response = outcome.getResponse();
            String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
            result.complete(new UpstreamAnswer(provider, response.getStatus(), type == null ? "" : type,
                    body.toByteArray()));
        }
    }

    /** Marks a call aborted because its client went away. */
    static final class Abandoned extends Exception {
        Abandoned() {
            super("the client went away", null, false, false);
        }
    }

    /** Marks an exchange aborted because the answer passed the cap; carries no text from upstream. */
    private static final class AnswerTooLarge extends Exception {
        AnswerTooLarge() {
            super("answer over " + MAX_ANSWER_BYTES + " bytes", null, false, false);
        }
    }
}
