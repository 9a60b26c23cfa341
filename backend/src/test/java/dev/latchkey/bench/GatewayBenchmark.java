package dev.latchkey.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.NpmTools;
import dev.latchkey.gateway.EverythingServers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * A {@code tools/call} of server-everything's {@code echo} through the gateway of the whole backend
 * ({@code Backend.start}: installed through the API, run by the MCP runtime; Streamable HTTP to
 * {@code /mcp}, forwarded over the runtime's stdio transport) against the same call made directly
 * to a second server-everything process over stdio (the SDK's stdio client).
 *
 * <p>Two clients of the gateway: the MCP SDK's Streamable HTTP client (what {@code latchkey mcp}
 * uses), and a {@link PlainCaller} that sends each call as one HTTP POST on a kept-alive
 * connection — the least any client does, so its figure is what the gateway itself adds.
 *
 * <p>Latency: one caller, {@code CALLS} calls per path after {@code WARM_UP} unmeasured ones, the
 * paths in alternating blocks of 100 so that drift in the machine's load hits all alike; added
 * p50/p99 = a gateway path's minus direct's. Throughput: {@code 1} and {@code 16} callers for
 * {@code SECONDS} each; through the gateway each caller has its own session, directly they share
 * the one stdio connection (a server process has only one).
 */
public final class GatewayBenchmark {

    private static final int WARM_UP = 1_000;
    private static final int BLOCK = 100;
    private static final LongAdder FAILED = new LongAdder();

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dataDir = Files.createTempDirectory("latchkey-gateway-bench");
        NpmTools.addEverything(dataDir, "bench__everything");
        try (Backend backend = Backend.start(AppConfig.of(dataDir))) {
            String token = runEverything(backend);
            String mcpUrl = "http://127.0.0.1:" + backend.port() + "/mcp";
            McpSyncClient direct = EverythingServers.client();
            List<McpSyncClient> gateway = new ArrayList<>();
            List<PlainCaller> plain = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                gateway.add(sdkClient(backend.port(), token));
                plain.add(new PlainCaller(mcpUrl, token));
            }
            CallToolRequest directEcho = new CallToolRequest("echo", Map.of("message", "benchmark"));
            CallToolRequest gatewayEcho = new CallToolRequest("everything__echo", Map.of("message", "benchmark"));
            for (int i = 0; i < WARM_UP; i++) {
                direct.callTool(directEcho);
                gateway.get(0).callTool(gatewayEcho);
                plain.get(0).echo("benchmark");
            }
            long[] straight = new long[calls];
            long[] throughSdk = new long[calls];
            long[] throughPlain = new long[calls];
            for (int done = 0; done < calls; done += BLOCK) {
                int end = Math.min(calls, done + BLOCK);
                time(() -> direct.callTool(directEcho), straight, done, end);
                time(() -> gateway.get(0).callTool(gatewayEcho), throughSdk, done, end);
                time(() -> plain.get(0).echo("benchmark"), throughPlain, done, end);
            }
            Arrays.sort(straight);
            Arrays.sort(throughSdk);
            Arrays.sort(throughPlain);
            System.out.printf(Locale.ROOT, "latency, 1 caller, %d calls each (ms)%n", calls);
            System.out.printf(Locale.ROOT, "  direct over stdio:             p50 %.3f  p99 %.3f%n", ms(straight, 0.50), ms(straight, 0.99));
            report("gateway, plain HTTP client:", throughPlain, straight);
            report("gateway, SDK Streamable HTTP:", throughSdk, straight);
            for (int callers : new int[] {1, 16}) {
                double viaDirect = rate("direct", callers, seconds, caller -> () -> direct.callTool(directEcho));
                double viaPlain = rate("gateway plain HTTP", callers, seconds, caller -> () -> plain.get(caller).echo("benchmark"));
                double viaSdk = rate("gateway SDK client", callers, seconds, caller -> () -> gateway.get(caller).callTool(gatewayEcho));
                System.out.printf(Locale.ROOT, "calls/s, %2d caller(s), %d s: direct %.0f, gateway plain HTTP %.0f (%.2fx),"
                        + " gateway SDK client %.0f (%.2fx)%n", callers, seconds, viaDirect, viaPlain, viaPlain / viaDirect,
                        viaSdk, viaSdk / viaDirect);
            }
            System.out.println("failed calls: " + FAILED.sum());
            gateway.forEach(McpSyncClient::close);
            direct.close();
        }
        // The SDK's Streamable HTTP server keeps a session sweeper thread that is not a daemon.
        System.exit(0);
    }

    /** Installs server-everything through the API, waits until the runtime runs it, and answers a new client's token. */
    private static String runEverything(Backend backend) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String id = json.readTree(api(backend, "POST", "/api/installs",
                "{\"catalogName\":\"bench__everything\",\"auth\":\"none\"}")).get("id").asText();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!"running".equals(json.readTree(api(backend, "GET", "/api/installs/" + id, null)).get("status").asText())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("server-everything did not reach running within 2 minutes");
            }
            Thread.sleep(100);
        }
        return json.readTree(api(backend, "POST", "/api/clients", "{\"name\":\"benchmark\"}")).get("token").asText();
    }

    private static String api(Backend backend, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path))
                .header("Authorization", "Bearer " + backend.secret())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static McpSyncClient sdkClient(int port, String token) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                        .endpoint("/mcp")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                        .build())
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        return client;
    }

    private static void report(String path, long[] sorted, long[] direct) {
        System.out.printf(Locale.ROOT, "  %-31s p50 %.3f  p99 %.3f   added p50 %+.3f  p99 %+.3f%n", path,
                ms(sorted, 0.50), ms(sorted, 0.99), ms(sorted, 0.50) - ms(direct, 0.50), ms(sorted, 0.99) - ms(direct, 0.99));
    }

    private static void time(Runnable call, long[] into, int from, int to) {
        for (int i = from; i < to; i++) {
            long start = System.nanoTime();
            call.run();
            into[i] = System.nanoTime() - start;
        }
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static double rate(String path, int callers, int seconds, IntFunction<Runnable> call) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch finished = new CountDownLatch(callers);
        for (int i = 0; i < callers; i++) {
            Runnable mine = call.apply(i);
            new Thread(() -> {
                try {
                    while (running.get()) {
                        mine.run();
                        done.increment();
                    }
                } catch (RuntimeException e) {
                    FAILED.increment();
                    System.out.println("a call failed (" + path + "): " + e.getMessage());
                } finally {
                    finished.countDown();
                }
            }).start();
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        finished.await();
        return done.sum() / (double) seconds;
    }
}
