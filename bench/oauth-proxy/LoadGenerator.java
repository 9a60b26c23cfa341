import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The load generator of the OAuth proxy benchmarks: clients on kept-alive connections
 * ({@link KeepAliveClient}) sending code exchanges to one target as fast as it answers, timing
 * each, and counting the CPU time and thread waits the runs cost and the connections the
 * endpoint accepted meanwhile.
 */
final class LoadGenerator {

    static final String EXCHANGE = "grant_type=authorization_code&provider=linear&code=bench-code"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Foauth%2Fcallback"
            + "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One timed run against one target. */
    record Run(long[] latencies, long nanos, int errors, long cpuNanos, long waits, int connectionsAccepted) {
    }

    /** The proxy's process, whose CPU time and waits count with this one's; null when the proxy runs in this JVM. */
    static ProxyProcess outside;

    private LoadGenerator() {
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
}
