package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.proxy.FakeEndpoint.Received;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How many exchanges the proxy takes on at once: its in-flight bound per replica, and the pool and
 * queue it keeps towards each provider. The provider here holds every answer until the test lets go.
 */
class CapacityTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final BlockingQueue<Received> arrived = new LinkedBlockingQueue<>();
    private final FakeEndpoint upstream = FakeEndpoint.answeringRaw((received, exchange) -> {
        arrived.add(received);
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = "{\"access_token\":\"at-1\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        release.countDown();
        upstream.close();
    }

    private RunningProxy proxy(Map<String, String> limits) {
        Map<String, String> env = new HashMap<>(Map.of("LINEAR_CLIENT_ID", "id", "LINEAR_CLIENT_SECRET", "secret",
                "LINEAR_TOKEN_URL", upstream.url("/oauth/token")));
        env.putAll(limits);
        return RunningProxy.start(env);
    }

    private CompletableFuture<HttpResponse<String>> exchange(RunningProxy proxy, String code) {
        String form = UpstreamAnswer.form(Map.of("grant_type", "authorization_code", "provider", "linear", "code", code,
                "redirect_uri", "http://127.0.0.1:53682/oauth/callback",
                "code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        return client.sendAsync(HttpRequest.newBuilder(proxy.url("/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Received awaitArrival() throws InterruptedException {
        Received received = arrived.poll(10, TimeUnit.SECONDS);
        assertThat(received).as("an exchange reached the provider").isNotNull();
        return received;
    }

    /**
     * Jetty's default header cache costs 96 KB per connection; a thousand waiting clients plus the
     * connections towards the provider then filled the 128 MB heap and the proxy spent its time in GC.
     */
    @Test
    void keeps_a_small_header_cache_per_connection_on_both_sides() {
        try (RunningProxy proxy = proxy(Map.of())) {
            Server jetty = proxy.jetty();
            List<Integer> serverSide = jetty.getConnectors()[0].getConnectionFactories().stream()
                    .filter(HttpConnectionFactory.class::isInstance)
                    .map(factory -> ((HttpConnectionFactory) factory).getHttpConfiguration().getHeaderCacheSize())
                    .toList();
            assertThat(serverSide).containsExactly(ProxyServer.HEADER_CACHE_SIZE);
            HttpClientTransportOverHTTP towardsProviders = (HttpClientTransportOverHTTP) proxy.upstreamClient()
                    .getHttpClientTransport();
            assertThat(towardsProviders.getHeaderCacheSize()).isEqualTo(ProxyServer.HEADER_CACHE_SIZE);
            assertThat(ProxyServer.HEADER_CACHE_SIZE).isLessThanOrEqualTo(64);
        }
    }

    /** With one selector, a burst of new clients queued their new connections and answers on one core of two. */
    @Test
    void reads_providers_answers_on_two_selector_threads() {
        try (RunningProxy proxy = proxy(Map.of())) {
            HttpClientTransportOverHTTP towardsProviders = (HttpClientTransportOverHTTP) proxy.upstreamClient()
                    .getHttpClientTransport();
            assertThat(towardsProviders.getSelectors()).as("one selector per core of a 2-core replica").isEqualTo(2);
        }
    }

    /**
     * Javalin copies each answer through a new buffer of Jetty's output-buffer size, 32 KB unless
     * told: at a thousand exchanges a second that was half of what the proxy allocated.
     */
    @Test
    void copies_each_answer_through_a_small_buffer() {
        try (RunningProxy proxy = proxy(Map.of())) {
            assertThat(proxy.answerCopyBytes()).isEqualTo(ProxyServer.ANSWER_COPY_BYTES).isLessThanOrEqualTo(4096);
            int jettyOutputBuffer = proxy.jetty().getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class)
                    .getHttpConfiguration().getOutputBufferSize();
            assertThat(jettyOutputBuffer).as("Jetty's own buffer is pooled and stays as it was").isEqualTo(32 * 1024);
        }
    }

    @Test
    void answers_503_with_retry_after_at_once_past_the_in_flight_limit() throws Exception {
        try (RunningProxy proxy = proxy(Map.of("MAX_IN_FLIGHT", "1"))) {
            CompletableFuture<HttpResponse<String>> first = exchange(proxy, "first");
            awaitArrival();

            HttpResponse<String> refused = exchange(proxy, "second").get(5, TimeUnit.SECONDS);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.body()).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":"
                    + "\"this proxy has 1 requests under way, its limit; retry in 1 s\"}");
            assertThat(arrived).as("the refused exchange never reached the provider").isEmpty();
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(exchange(proxy, "third").get(10, TimeUnit.SECONDS).statusCode())
                    .as("the slot is free again once the first exchange is answered").isEqualTo(200);
        }
    }

    @Test
    void opens_at_most_the_configured_connections_and_queues_at_most_the_configured_requests() throws Exception {
        try (RunningProxy proxy = proxy(Map.of("UPSTREAM_MAX_CONNECTIONS", "1", "UPSTREAM_MAX_QUEUED", "1"))) {
            CompletableFuture<HttpResponse<String>> onTheConnection = exchange(proxy, "first");
            Received first = awaitArrival();
            CompletableFuture<HttpResponse<String>> queued = exchange(proxy, "second");
            // The queued exchange waits for the one connection instead of opening a second.
            assertThat(arrived.poll(500, TimeUnit.MILLISECONDS)).isNull();

            HttpResponse<String> refused = exchange(proxy, "third").get(5, TimeUnit.SECONDS);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.body()).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":"
                    + "\"this proxy has too many requests waiting for linear; retry in 1 s\"}");
            release.countDown();
            assertThat(List.of(onTheConnection.get(10, TimeUnit.SECONDS).statusCode(),
                    queued.get(10, TimeUnit.SECONDS).statusCode())).containsExactly(200, 200);
            Received second = awaitArrival();
            assertThat(second.body()).contains("code=second");
            assertThat(second.clientPort()).as("the queued exchange went over the same connection").isEqualTo(first.clientPort());
            assertThat(proxy.upstreamClient().getDestinations()).singleElement()
                    .satisfies(provider -> assertThat(provider.getConnectionPool()).isInstanceOf(IdlePool.Connections.class));
        }
    }

    @Test
    void frees_the_queue_slot_of_a_client_that_goes_away() throws Exception {
        try (RunningProxy proxy = proxy(Map.of("UPSTREAM_MAX_CONNECTIONS", "1", "UPSTREAM_MAX_QUEUED", "1"))) {
            CompletableFuture<HttpResponse<String>> onTheConnection = exchange(proxy, "first");
            awaitArrival();
            try (java.net.Socket queued = AbandonedExchangeTest.sendExchange(proxy)) {
                Thread.sleep(300); // the second exchange waits in the queue
            }
            Thread.sleep(300); // the proxy notices the close and takes it out of the queue

            CompletableFuture<HttpResponse<String>> third = exchange(proxy, "third");
            release.countDown();

            assertThat(third.get(10, TimeUnit.SECONDS).statusCode()).as("the abandoned exchange's queue slot was free")
                    .isEqualTo(200);
            assertThat(onTheConnection.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(awaitArrival().body()).as("the abandoned exchange never reached the provider").contains("code=third");
        }
    }
}
