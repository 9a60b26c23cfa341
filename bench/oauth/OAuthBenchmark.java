import com.sun.net.httpserver.HttpServer;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.oauth.TokenRefresher;
import dev.latchkey.proxy.ProxyConfig;
import dev.latchkey.proxy.ProxyServer;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OAuth benchmark (docs/benchmarks.md, "OAuth install and refresh"), everything real and on
 * 127.0.0.1: the backend, the OAuth proxy, and a local token endpoint that answers at once.
 *
 * <ol>
 *   <li>callback → connected: N installs each started by {@code POST /api/installs} and finished by
 *       {@code GET /oauth/callback}; the callback's time, minus the median time of the same token
 *       request sent straight to the proxy (the proxy and provider part);</li>
 *   <li>refresh: the N connections (their tokens end in 60 s, inside the 5-minute margin) refreshed
 *       at once through the proxy; time until all are stored, and the most in flight.</li>
 * </ol>
 * Usage: OAuthBenchmark [N=1000]
 */
public class OAuthBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dataDir = Files.createTempDirectory("latchkey-oauth-bench");
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peakAtEndpoint = new AtomicInteger();
        HttpServer endpoint = tokenEndpoint(inFlight, peakAtEndpoint);
        int proxyPort = freePort();
        String proxyUrl = "http://127.0.0.1:" + proxyPort;
        Javalin proxy = ProxyServer.create(ProxyConfig.fromEnvironment(Map.of(
                "PORT", Integer.toString(proxyPort), "PUBLIC_BASE_URL", proxyUrl, "RATE_LIMIT_PER_MINUTE", "100000000",
                "BENCH_CLIENT_ID", "bench-client", "BENCH_CLIENT_SECRET", "bench-secret",
                "BENCH_TOKEN_URL", "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/token")))
                .start("127.0.0.1", proxyPort);
        writeDefinitions(dataDir);
        Backend backend = Backend.start(new AppConfig(dataDir, 0, URI.create(proxyUrl)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            List<Long> callbackNanos = new ArrayList<>();
            List<Long> proxyNanos = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                HttpResponse<String> started = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + backend.port() + "/api/installs"))
                        .header("Authorization", "Bearer " + backend.secret()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"catalogName\":\"bench__server\",\"auth\":\"oauth\",\"userConfig\":{}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                String state = param(started.body(), "state");
                long t0 = System.nanoTime();
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port()
                        + "/oauth/callback?code=code-" + i + "&state=" + state)).build(), HttpResponse.BodyHandlers.ofString());
                callbackNanos.add(System.nanoTime() - t0);
                if (page.statusCode() != 200) {
                    throw new IllegalStateException("callback " + i + " answered " + page.statusCode() + ": " + page.body());
                }
                long t1 = System.nanoTime();
                http.send(HttpRequest.newBuilder(URI.create(proxyUrl + "/oauth/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&provider=bench&code=direct-" + i
                                + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A" + backend.port() + "%2Foauth%2Fcallback"
                                + "&code_verifier=" + "v".repeat(43))).build(), HttpResponse.BodyHandlers.discarding());
                proxyNanos.add(System.nanoTime() - t1);
            }
            long callback = median(callbackNanos);
            long viaProxy = median(proxyNanos);
            System.out.printf("callback -> connected, %d installs: median %.1f ms, p95 %.1f ms; "
                            + "token request through the proxy alone: median %.1f ms; difference (Latchkey's part): %.1f ms%n",
                    n, ms(callback), ms(percentile(callbackNanos, 0.95)), ms(viaProxy), ms(callback - viaProxy));

            inFlight.set(0);
            peakAtEndpoint.set(0);
            TokenRefresher refresher = backend.refresher();
            int callsBefore = refresher.upstreamCalls();
            long r0 = System.nanoTime();
            List<TokenRefresher.Outcome> outcomes = refresher.refreshDue().join();
            long refreshNanos = System.nanoTime() - r0;
            long refreshed = outcomes.stream().filter(o -> o instanceof TokenRefresher.Outcome.Refreshed).count();
            System.out.printf("refresh, %d connections due at once: %d refreshed in %.2f s (%d proxy calls); "
                            + "peak in flight %d at Latchkey (bound %d), %d at the token endpoint%n",
                    outcomes.size(), refreshed, refreshNanos / 1e9, refresher.upstreamCalls() - callsBefore,
                    refresher.peakInFlight(), TokenRefresher.Policy.DEFAULT.maxInFlight(), peakAtEndpoint.get());
        } finally {
            backend.close();
            proxy.stop();
            endpoint.stop(0);
        }
    }

    /** Answers every token request at once with new tokens that end in 60 s. */
    private static HttpServer tokenEndpoint(AtomicInteger inFlight, AtomicInteger peak) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/token", exchange -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":60,\"refresh_token\":\"rt-" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            inFlight.decrementAndGet();
        });
        server.start();
        return server;
    }

    private static void writeDefinitions(Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("providers"));
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("providers/bench.json"), """
                {"name": "bench", "displayName": "Bench", "authorizationUrl": "http://127.0.0.1:9/authorize",
                 "scopes": ["read"], "scopeSeparator": " ", "usePKCE": true, "clientId": "", "authorizationParams": {},
                 "redirect": "loopback", "authorizeIn": "system", "supportsRefresh": true,
                 "tokenEnvVarPattern": {"accessToken": "BENCH_TOKEN"}}
                """);
        // A command that does not exist: the MCP runtime, which starts every install that becomes
        // connected, fails it in words at once instead of spawning (and restarting) 1,000 processes;
        // what is measured is the OAuth side.
        Files.writeString(dataDir.resolve("catalog/bench__server.json"), """
                {"name": "bench__server", "display_name": "Bench",
                 "server": {"type": "local", "command": "latchkey-bench-no-such-server", "args": []},
                 "archestra_config": {"oauth": {"provider": "bench", "required": true}}}
                """);
    }

    private static String param(String json, String name) {
        int url = json.indexOf("\"authorizationUrl\":\"");
        String query = json.substring(json.indexOf('?', url) + 1, json.indexOf('"', url + 20));
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        throw new IllegalStateException("no " + name + " in " + json);
    }

    private static long median(List<Long> values) {
        return percentile(values, 0.5);
    }

    private static long percentile(List<Long> values, double p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
