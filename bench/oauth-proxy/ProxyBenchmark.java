import com.sun.management.OperatingSystemMXBean;
import dev.latchkey.proxy.ProxyConfig;
import dev.latchkey.proxy.ProxyServer;
import io.javalin.Javalin;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;

/**
 * Code exchanges per second and p50/p99 latency through the OAuth proxy, against the same requests
 * sent straight to a fast local token endpoint, at 1, 16 and 64 concurrent clients. Load generator
 * and endpoint run in this JVM, the proxy in its own process started as {@code ./latchkey proxy}
 * starts it ({@link ProxyProcess}), all on 127.0.0.1, sharing the machine's cores.
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
    static final String EXCHANGE = "grant_type=authorization_code&provider=linear&code=bench-code"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Foauth%2Fcallback"
            + "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One timed run against one target. */
    record Run(long[] latencies, long nanos, int errors, long cpuNanos, long waits, int connectionsAccepted) {
    }

    record Result(String target, int clients, int requests, int errors, double perSecond, double p50Ms, double p99Ms,
                  double cpuMsPerExchange, double waitsPerExchange, int connectionsAccepted) {

        static Result pooled(String target, int clients, List<Run> runs) {
            long[] all = runs.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).sorted().toArray();
            double seconds = runs.stream().mapToLong(Run::nanos).sum() / 1e9;
            return new Result(target, clients, all.length, runs.stream().mapToInt(Run::errors).sum(), all.length / seconds,
                    all[(int) (all.length * 0.50)] / 1e6, all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6,
                    runs.stream().mapToLong(Run::cpuNanos).sum() / 1e6 / all.length,
                    (double) runs.stream().mapToLong(Run::waits).sum() / all.length,
                    runs.stream().mapToInt(Run::connectionsAccepted).sum());
        }
    }

    /** The proxy's process, whose CPU time and waits count with this one's; null when the proxy runs in this JVM. */
    static ProxyProcess outside;

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double loadAtStart = OS.getSystemLoadAverage();
        AtomicInteger accepted = new AtomicInteger();
        Javalin endpoint = startEndpoint(accepted);
        String tokenUrl = "http://127.0.0.1:" + endpoint.port() + "/token";
        ProxyProcess proxy = ProxyProcess.start(tokenUrl, Path.of("bench/oauth-proxy/target/proxy-fast.log"));
        outside = proxy;
        URI direct = URI.create(tokenUrl);
        URI proxied = URI.create("http://127.0.0.1:" + proxy.port() + "/oauth/token");

        warmUp(List.of(direct, proxied), Math.min(requests, 10_000), accepted);

        List<Result> results = new ArrayList<>();
        for (int clients : new int[] {1, 16, 64}) {
            int count = clients == 1 ? Math.max(1, requests / 4) : requests;
            List<Run> directRuns = new ArrayList<>();
            List<Run> proxyRuns = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                if (round % 2 == 0) {
                    directRuns.add(run(direct, clients, count, accepted));
                    proxyRuns.add(run(proxied, clients, count, accepted));
                } else {
                    proxyRuns.add(run(proxied, clients, count, accepted));
                    directRuns.add(run(direct, clients, count, accepted));
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

    /**
     * Runs every target at 16 and 64 clients until the JIT compiler is quiet (under 5 % of a round's
     * time spent compiling; on two busy cores that takes tens of seconds), so that compilation does
     * not land in the measured runs; the proxy's upstream pool grows to 64 on the way.
     */
    static void warmUp(List<URI> targets, int requests, AtomicInteger accepted) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        for (int round = 1; round <= 30; round++) {
            long compiledBefore = jit.getTotalCompilationTime();
            long started = System.nanoTime();
            for (int clients : new int[] {16, 64}) {
                for (URI target : targets) {
                    run(target, clients, requests, accepted);
                }
            }
            double share = (jit.getTotalCompilationTime() - compiledBefore) / ((System.nanoTime() - started) / 1e6);
            if (share < 0.05) {
                System.out.printf("warm after %d rounds (%.1f %% of the last one compiling)%n", round, share * 100);
                return;
            }
        }
        System.out.println("still compiling after 30 warm-up rounds; measuring anyway");
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

    static Run run(URI target, int clients, int requests, AtomicInteger accepted) throws Exception {
        byte[] request = post(target, EXCHANGE);
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        int acceptedBefore = accepted.get();
        long waitsBefore = waits();
        long cpuBefore = cpuNanos();
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
        long nanos = System.nanoTime() - started;
        long cpu = cpuNanos() - cpuBefore;
        long waits = waits() - waitsBefore;
        pool.shutdown();
        return new Run(latencies, nanos, errors.get(), cpu, waits, accepted.get() - acceptedBefore);
    }

    /** A form POST to {@code target}, as bytes ready to write on a kept-alive connection. */
    static byte[] post(URI target, String form) {
        return ("POST " + target.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + target.getPort()
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
                + "\r\n\r\n" + form).getBytes(StandardCharsets.US_ASCII);
    }

    /** CPU time of this process and, when it runs apart, the proxy's. */
    private static long cpuNanos() {
        return OS.getProcessCpuTime() + (outside == null ? 0 : outside.cpuNanos());
    }

    /** Thread waits of this process and, when it runs apart, the proxy's. */
    private static long waits() {
        return threadWaits(Path.of("/proc/self/task")) + (outside == null ? 0 : outside.waits());
    }

    /**
     * How often the live threads under {@code tasks} (a {@code /proc/<pid>/task} folder) have blocked
     * so far (Linux voluntary context switches): each hand-off of a request from one thread to
     * another costs at least one such wait.
     */
    static long threadWaits(Path taskFolder) {
        try (Stream<Path> tasks = Files.list(taskFolder)) {
            return tasks.mapToLong(task -> {
                try {
                    return Files.readAllLines(task.resolve("status")).stream()
                            .filter(line -> line.startsWith("voluntary_ctxt_switches:"))
                            .mapToLong(line -> Long.parseLong(line.substring(24).trim())).sum();
                } catch (IOException ended) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * One client: a kept-alive HTTP/1.1 connection with blocking reads, so the load generator costs
     * as little CPU as possible and the same for both targets.
     */
    static final class KeepAliveClient {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        KeepAliveClient(int port) throws IOException {
            this(port, 30_000);
        }

        KeepAliveClient(int port, int timeoutMillis) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        /** Sends the request and reads the whole answer; true when it is a 200 with the token. */
        boolean exchange(byte[] request) throws IOException {
            return status(request) == 200;
        }

        /** Sends the exchange and reads the whole answer: its status, or 0 for a 200 without the token. */
        int status(byte[] request) throws IOException {
            String[] answer = answer(request);
            int status = Integer.parseInt(answer[0].substring(9, 12));
            return status == 200 && !answer[1].contains("at-bench") ? 0 : status;
        }

        /** Sends the request and reads the whole answer; its body when it is a 200, else null. */
        String call(byte[] request) throws IOException {
            String[] answer = answer(request);
            return answer[0].startsWith("HTTP/1.1 200") ? answer[1] : null;
        }

        /** Status line and body. */
        private String[] answer(byte[] request) throws IOException {
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
            return new String[] {status, new String(in.readNBytes(length), StandardCharsets.UTF_8)};
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
