package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away while its exchange waits for the provider: the proxy aborts its call to
 * the provider at once instead of waiting for the answer nobody will read.
 */
class AbandonedExchangeTest {

    static final String FORM = "grant_type=authorization_code&provider=linear&code=abandoned-code"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Foauth%2Fcallback"
            + "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    /** The exchange as raw bytes, so the test can close the connection while it waits. */
    static Socket sendExchange(RunningProxy proxy) throws IOException {
        Socket client = new Socket("127.0.0.1", proxy.url("/").getPort());
        client.getOutputStream().write(("POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + FORM.length() + "\r\n\r\n"
                + FORM).getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        return client;
    }

    @Test
    void aborts_the_call_to_the_provider_when_the_client_closes_its_connection() throws Exception {
        try (ServerSocket provider = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            provider.setSoTimeout(60_000); // generous: a loaded machine starts the proxy slowly
            CountDownLatch received = new CountDownLatch(1);
            CompletableFuture<Long> closedAfterMillis = new CompletableFuture<>();
            // A thread of its own: the common pool has one thread on two cores, which something else may hold.
            Thread providerThread = new Thread(() -> {
                try {
                    closedAfterMillis.complete(millisUntilClosed(provider, received));
                } catch (IOException | RuntimeException | AssertionError e) {
                    closedAfterMillis.completeExceptionally(e);
                }
            }, "provider");
            providerThread.setDaemon(true);
            providerThread.start();
            try (RunningProxy proxy = RunningProxy.start(Map.of("LINEAR_CLIENT_ID", "id", "LINEAR_CLIENT_SECRET", "secret",
                    "LINEAR_TOKEN_URL", "http://127.0.0.1:" + provider.getLocalPort() + "/token",
                    "UPSTREAM_TIMEOUT_MS", "30000"))) {
                Socket client = sendExchange(proxy);
                assertThat(received.await(60, TimeUnit.SECONDS)).as("the exchange reached the provider").isTrue();
                client.close();

                long millis = closedAfterMillis.get(60, TimeUnit.SECONDS);

                assertThat(millis).as("the proxy closed its connection to the provider (ms after the request, "
                        + "-1 = never within 20 s)").isBetween(0L, 5_000L);
            }
        }
    }

    /**
     * A provider that reads one request, never answers, and says how long after the request the
     * proxy's connection ended (-1: not within 20 s).
     */
    private static long millisUntilClosed(ServerSocket provider, CountDownLatch received) throws IOException {
        try (Socket upstream = provider.accept()) {
            upstream.setSoTimeout(20_000);
            InputStream in = upstream.getInputStream();
            assertThat(readRequest(in)).contains("code=abandoned-code");
            long receivedAt = System.nanoTime();
            received.countDown();
            try {
                while (in.read() >= 0) {
                    // nothing more is expected
                }
            } catch (SocketTimeoutException e) {
                return -1;
            } catch (IOException reset) {
                // a reset ends the connection as surely as a close
            }
            return (System.nanoTime() - receivedAt) / 1_000_000;
        }
    }

    /** Reads headers and a Content-Length body. */
    private static String readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the request ended early: " + head);
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
