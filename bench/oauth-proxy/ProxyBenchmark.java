import dev.latchkey.proxy.ProxyConfig;
import dev.latchkey.proxy.ProxyServer;
import io.javalin.Javalin;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Code exchanges per second and p50/p99 latency through the OAuth proxy, against the same requests
 * sent straight to a fast local token endpoint, at 1, 16 and 64 concurrent clients. Load generator,
 * proxy and endpoint run in this one JVM on 127.0.0.1, so they share the machine's cores.
 */
public final class ProxyBenchmark {

    private static final String TOKEN_ANSWER =
            "{\"access_token\":\"at-bench\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"rt-bench\"}";
    private static final String EXCHANGE = "grant_type=authorization_code&provider=linear&code=bench-code"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Foauth%2Fcallback"
            + "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    record Result(String target, int clients, int requests, int errors, double perSecond, double p50Ms, double p99Ms) {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Javalin endpoint = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/token", ctx -> ctx.contentType("application/json").result(TOKEN_ANSWER));
        }).start("127.0.0.1", 0);
        String tokenUrl = "http://127.0.0.1:" + endpoint.port() + "/token";
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of(
                "PORT", "0", "LINEAR_CLIENT_ID", "bench-id", "LINEAR_CLIENT_SECRET", "bench-secret",
                "LINEAR_TOKEN_URL", tokenUrl, "RATE_LIMIT_PER_MINUTE", "1000000000"));
        Javalin proxy = ProxyServer.create(config).start("127.0.0.1", 0);
        URI direct = URI.create(tokenUrl);
        URI proxied = URI.create("http://127.0.0.1:" + proxy.port() + "/oauth/token");

        // Warm both paths so the JIT and connection pools are in their steady state before measuring.
        run(direct, "direct", 16, Math.min(requests, 10_000));
        run(proxied, "proxy", 16, Math.min(requests, 10_000));

        List<Result> results = new ArrayList<>();
        for (int clients : new int[] {1, 16, 64}) {
            int count = clients == 1 ? Math.max(1, requests / 4) : requests;
            results.add(run(direct, "direct", clients, count));
            results.add(run(proxied, "proxy", clients, count));
        }
        proxy.stop();
        endpoint.stop();

        System.out.printf("%n| clients | target | requests | errors | exchanges/s | p50 ms | p99 ms | proxy/direct |%n");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < results.size(); i += 2) {
            Result d = results.get(i);
            Result p = results.get(i + 1);
            for (Result r : List.of(d, p)) {
                System.out.printf("| %d | %s | %d | %d | %.0f | %.2f | %.2f | %s |%n", r.clients(), r.target(), r.requests(),
                        r.errors(), r.perSecond(), r.p50Ms(), r.p99Ms(),
                        r == p ? String.format("%.2f×", p.perSecond() / d.perSecond()) : "");
            }
        }
        Result p16 = results.get(3);
        Result d16 = results.get(2);
        Result p64 = results.get(5);
        System.out.printf("%ntargets at 16 clients: throughput %.2f× direct (≥ 0.4: %s), p99 %.2f ms (≤ 5: %s); "
                        + "errors at 64 clients: %d (0: %s)%n",
                p16.perSecond() / d16.perSecond(), p16.perSecond() / d16.perSecond() >= 0.4 ? "met" : "MISSED",
                p16.p99Ms(), p16.p99Ms() <= 5 ? "met" : "MISSED", p64.errors(), p64.errors() == 0 ? "met" : "MISSED");
    }

    private static Result run(URI target, String name, int clients, int requests) throws Exception {
        byte[] request = ("POST " + target.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + target.getPort()
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + EXCHANGE.length()
                + "\r\n\r\n" + EXCHANGE).getBytes(StandardCharsets.US_ASCII);
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                KeepAliveClient client = new KeepAliveClient(target.getPort());
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    try {
                        if (!client.exchange(request)) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        client = new KeepAliveClient(target.getPort());
                    }
                    latencies[i] = System.nanoTime() - t0;
                }
                client.close();
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        return new Result(name, clients, requests, errors.get(), requests / seconds,
                latencies[(int) (requests * 0.50)] / 1e6, latencies[Math.min(requests - 1, (int) (requests * 0.99))] / 1e6);
    }

    /**
     * One client: a kept-alive HTTP/1.1 connection with blocking reads, so the load generator costs
     * as little CPU as possible and the same for both targets.
     */
    private static final class KeepAliveClient {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        KeepAliveClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        /** Sends the request and reads the whole answer; true when it is a 200 with the token. */
        boolean exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            int length = -1;
            for (String header = line(); !header.isEmpty(); header = line()) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            if (length < 0) {
                throw new IOException("no Content-Length in the answer");
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return status.startsWith("HTTP/1.1 200") && body.contains("at-bench");
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() throws IOException {
            socket.close();
        }
    }
}
