package dev.latchkey.remote;

import io.modelcontextprotocol.spec.HttpHeaders;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP client of a remote server's Streamable HTTP transport, telling when the answer stream of
 * a POSTed JSON-RPC request has ended: the SDK's transport waits for an answer the stream never
 * carried until the request's time limit (ten minutes), and the transport has no hook for it. Given
 * to the SDK as its {@link HttpClient.Builder}; every request goes to a plain JDK client.
 *
 * <p>It also keeps a stale event stream from ending the live session. The SDK's transport replaces
 * its session whenever any of its requests meets a 404, even a {@code GET} stream reconnect still
 * carrying the session id the server forgot, when a new session has been made since (by
 * {@link SessionTransport}): the new session's calls under way were then dropped and never
 * answered. Such a 404, to a {@code GET} with a session id other than the server's latest, reaches
 * the SDK as 405 (the server offers no stream), which it takes quietly.
 */
final class StreamEnds implements HttpClient.Builder {

    private final HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1); // the SDK's own default
    private final Consumer<String> ended;
    private final AtomicReference<String> latestSession = new AtomicReference<>();

    /** @param ended told the JSON-RPC id of a request whose POST's answer stream has ended */
    StreamEnds(Consumer<String> ended) {
        this.ended = ended;
    }

    /** The {@code id} of a JSON-RPC request body, when there is one. */
    static Optional<String> requestId(HttpRequest request) {
        if (!"POST".equals(request.method()) || request.bodyPublisher().isEmpty()) {
            return Optional.empty();
        }
        StringBuilder body = new StringBuilder();
        boolean[] done = {false};
        request.bodyPublisher().get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                body.append(StandardCharsets.UTF_8.decode(item));
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
                done[0] = true;
            }
        });
        try {
            var json = AuthHttp.json().readTree(body.toString());
            return done[0] && json.hasNonNull("id") && json.hasNonNull("method") ? Optional.of(json.get("id").asText())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** An answer that is an event stream: one that may end before the answer came (a JSON body holds it whole). */
    private static boolean eventStream(HttpResponse.ResponseInfo info) {
        return info.statusCode() / 100 == 2
                && info.headers().firstValue("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
    }

    @Override
    public HttpClient build() {
        return new Watched(builder.build());
    }

    private final class Watched extends HttpClient {
        private final HttpClient client;

        Watched(HttpClient client) {
            this.client = client;
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            Optional<String> id = requestId(request);
            Optional<String> session = request.headers().firstValue(HttpHeaders.MCP_SESSION_ID);
            HttpResponse.BodyHandler<T> seen = info -> {
                info.headers().firstValue(HttpHeaders.MCP_SESSION_ID).ifPresent(latestSession::set);
                return handler.apply(staleStream(request, session, info) ? new Status(info, 405) : info);
            };
            return id.isEmpty() ? client.sendAsync(request, seen)
                    : client.sendAsync(request, info -> eventStream(info)
                            ? new Ending<>(seen.apply(info), () -> ended.accept(id.get())) : seen.apply(info));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> push) {
            return client.sendAsync(request, handler, push);
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            return client.send(request, handler);
        }

        @Override public Optional<CookieHandler> cookieHandler() { return client.cookieHandler(); }
        @Override public Optional<Duration> connectTimeout() { return client.connectTimeout(); }
        @Override public Redirect followRedirects() { return client.followRedirects(); }
        @Override public Optional<ProxySelector> proxy() { return client.proxy(); }
        @Override public SSLContext sslContext() { return client.sslContext(); }
        @Override public SSLParameters sslParameters() { return client.sslParameters(); }
        @Override public Optional<Authenticator> authenticator() { return client.authenticator(); }
        @Override public Version version() { return client.version(); }
        @Override public Optional<Executor> executor() { return client.executor(); }
    }

    /** A 404 to a stream of a session the server has replaced since: nothing the SDK should invalidate. */
    private boolean staleStream(HttpRequest request, Optional<String> session, HttpResponse.ResponseInfo info) {
        return "GET".equals(request.method()) && info.statusCode() == 404 && session.isPresent()
                && latestSession.get() != null && !session.get().equals(latestSession.get());
    }

    /** A response as received, with another status. */
    private record Status(HttpResponse.ResponseInfo info, int statusCode) implements HttpResponse.ResponseInfo {
        @Override public java.net.http.HttpHeaders headers() { return info.headers(); }
        @Override public HttpClient.Version version() { return info.version(); }
    }

    /** A body subscriber that says when its body ended normally (an error reaches the transport itself). */
    private record Ending<T>(HttpResponse.BodySubscriber<T> body, Runnable ended) implements HttpResponse.BodySubscriber<T> {
        @Override public CompletionStage<T> getBody() { return body.getBody(); }
        @Override public void onSubscribe(Flow.Subscription subscription) { body.onSubscribe(subscription); }
        @Override public void onNext(List<ByteBuffer> item) { body.onNext(item); }
        @Override public void onError(Throwable throwable) { body.onError(throwable); }

        @Override
        public void onComplete() {
            body.onComplete();
            ended.run();
        }
    }

    @Override public HttpClient.Builder cookieHandler(CookieHandler handler) { builder.cookieHandler(handler); return this; }
    @Override public HttpClient.Builder connectTimeout(Duration duration) { builder.connectTimeout(duration); return this; }
    @Override public HttpClient.Builder sslContext(SSLContext context) { builder.sslContext(context); return this; }
    @Override public HttpClient.Builder sslParameters(SSLParameters parameters) { builder.sslParameters(parameters); return this; }
    @Override public HttpClient.Builder executor(Executor executor) { builder.executor(executor); return this; }
    @Override public HttpClient.Builder followRedirects(HttpClient.Redirect policy) { builder.followRedirects(policy); return this; }
    @Override public HttpClient.Builder version(HttpClient.Version version) { builder.version(version); return this; }
    @Override public HttpClient.Builder priority(int priority) { builder.priority(priority); return this; }
    @Override public HttpClient.Builder proxy(ProxySelector selector) { builder.proxy(selector); return this; }
    @Override public HttpClient.Builder authenticator(Authenticator authenticator) { builder.authenticator(authenticator); return this; }
}
