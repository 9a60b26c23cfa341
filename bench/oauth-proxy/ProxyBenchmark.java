import com.sun.management.OperatingSystemMXBean;
import dev.latchkey.proxy.ProxyConfig;
import dev.latchkey.proxy.ProxyServer;
import io.javalin.Javalin;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;

/**
 * Code exchanges per second and p50/p99 latency through the OAuth proxy, against the same requests
 * sent straight to a fast local token endpoint, at 1, 16 and 64 concurrent clients. Load generator
 * ({@link LoadGenerator}) and endpoint run in this JVM, the proxy in its own process started as
 * {@code ./latchkey proxy} starts it ({@link ProxyProcess}), all on 127.0.0.1, sharing the machine's
 * cores.
 *
 * <p>Each level runs in rounds that alternate which target goes first, and the rounds are pooled, so
 * a burst of load from elsewhere on the machine hits both targets alike. Beside the timings it
 * reports, per exchange, the CPU time the whole process spent and how often its threads blocked
 * (each hand-off between threads is one such wait), and the connections the endpoint accepted:
 * during a proxy run those are the proxy's upstream connections, which stay at zero once the
 * proxy's pool is warm. CPU and waits are those of both processes, this one and the proxy's. After
 * the runs it reports the proxy's memory (PSS) and threads.
 */
public final class ProxyBenchmark {

    static final String TOKEN_ANSWER =
            "{\"access_token\":\"at-bench\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"rt-bench\"}";
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    record Result(String target, int clients, int requests, int errors, double perSecond, double p50Ms, double p99Ms,
                  double cpuMsPerExchange, double waitsPerExchange, int connectionsAccepted) {

        static Result pooled(String target, int clients, List<LoadGenerator.Run> runs) {
            long[] all = runs.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).sorted().toArray();
            double seconds = runs.stream().mapToLong(LoadGenerator.Run::nanos).sum() / 1e9;
            return new Result(target, clients, all.length, runs.stream().mapToInt(LoadGenerator.Run::errors).sum(),
                    all.length / seconds,
                    all[(int) (all.length * 0.50)] / 1e6, all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6,
                    runs.stream().mapToLong(LoadGenerator.Run::cpuNanos).sum() / 1e6 / all.length,
                    (double) runs.stream().mapToLong(LoadGenerator.Run::waits).sum() / all.length,
                    runs.stream().mapToInt(LoadGenerator.Run::connectionsAccepted).sum());
        }
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double loadAtStart = OS.getSystemLoadAverage();
        AtomicInteger accepted = new AtomicInteger();
        Javalin endpoint = startEndpoint(accepted);
        String tokenUrl = "http://127.0.0.1:" + endpoint.port() + "/token";
        ProxyProcess proxy = ProxyProcess.start(tokenUrl, Path.of("bench/oauth-proxy/target/proxy-fast.log"));
        LoadGenerator.outside = proxy;
        URI direct = URI.create(tokenUrl);
        URI proxied = URI.create("http://127.0.0.1:" + proxy.port() + "/oauth/token");

        LoadGenerator.warmUp(List.of(direct, proxied), Math.min(requests, 10_000), accepted);

        List<Result> results = new ArrayList<>();
        for (int clients : new int[] {1, 16, 64}) {
            int count = clients == 1 ? Math.max(1, requests / 4) : requests;
            List<LoadGenerator.Run> directRuns = new ArrayList<>();
            List<LoadGenerator.Run> proxyRuns = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                if (round % 2 == 0) {
                    directRuns.add(LoadGenerator.run(direct, clients, count, accepted));
                    proxyRuns.add(LoadGenerator.run(proxied, clients, count, accepted));
                } else {
                    proxyRuns.add(LoadGenerator.run(proxied, clients, count, accepted));
                    directRuns.add(LoadGenerator.run(direct, clients, count, accepted));
                }
            }
            results.add(Result.pooled("direct", clients, directRuns));
            results.add(Result.pooled("proxy", clients, proxyRuns));
        }
        double pss = proxy.pssMb();
        long threads = proxy.threads();
        proxy.close();
        endpoint.stop();
        report(results, rounds, loadAtStart, OS.getSystemLoadAverage());
        System.out.printf("proxy process after the 64-client runs: PSS %.0f MB (≤ 150: %s), %d threads%n",
                pss, pss <= 150 ? "met" : "MISSED", threads);
    }

    /**
     * The fast token endpoint: a fixed token answer, and a count of the connections it accepts.
     * It reads the form like a real token endpoint: left unread, a body that arrives after the
     * headers makes Jetty close the connection, and every such request costs a new one.
     */
    static Javalin startEndpoint(AtomicInteger accepted) {
        Javalin endpoint = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/token", ctx -> {
                if (ctx.formParam("code") == null) {
                    throw new IllegalStateException("token request without a code");
                }
                ctx.contentType("application/json").result(TOKEN_ANSWER);
            });
        }).start("127.0.0.1", 0);
        countConnections(endpoint, accepted);
        return endpoint;
    }

    /** Counts in {@code accepted} every connection the endpoint accepts from now on. */
    static void countConnections(Javalin endpoint, AtomicInteger accepted) {
        for (Connector connector : endpoint.jettyServer().server().getConnectors()) {
            connector.addBean(new Connection.Listener() {
                @Override
                public void onOpened(Connection connection) {
                    accepted.incrementAndGet();
                }
            });
        }
    }

    /** The real proxy in this JVM (for {@code HopCeiling}), provider {@code linear} pointed at the endpoint, rate limit lifted. */
    static Javalin startProxy(String tokenUrl) {
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of(
                "PORT", "0", "LINEAR_CLIENT_ID", "bench-id", "LINEAR_CLIENT_SECRET", "bench-secret",
                "LINEAR_TOKEN_URL", tokenUrl, "RATE_LIMIT_PER_MINUTE", "1000000000"));
        return ProxyServer.create(config).start("127.0.0.1", 0);
    }

    private static void report(List<Result> results, int rounds, double loadAtStart, double loadAtEnd) {
        System.out.printf("%n%d rounds per level; load average %.1f at the start, %.1f at the end, %d cores%n",
                rounds, loadAtStart, loadAtEnd, OS.getAvailableProcessors());
        System.out.printf("%n| clients | target | requests | errors | exchanges/s | p50 ms | p99 ms | CPU ms/exchange "
                + "| waits/exchange | endpoint connections accepted | proxy/direct |%n");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < results.size(); i += 2) {
            Result d = results.get(i);
            Result p = results.get(i + 1);
            for (Result r : List.of(d, p)) {
                System.out.printf("| %d | %s | %d | %d | %.0f | %.2f | %.2f | %.3f | %.1f | %d | %s |%n", r.clients(),
                        r.target(), r.requests(), r.errors(), r.perSecond(), r.p50Ms(), r.p99Ms(), r.cpuMsPerExchange(),
                        r.waitsPerExchange(), r.connectionsAccepted(), r == p ? String.format("%.2f×", p.perSecond() / d.perSecond()) : "");
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
}
