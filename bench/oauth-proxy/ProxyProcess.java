import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The proxy as its own process, started the way users start it ({@code ./latchkey proxy}, so with
 * the same JVM settings), or by {@code PROXY_COMMAND} (e.g. {@code java -jar old.jar} to measure an
 * older build). Provider {@code linear} points at the benchmark's endpoint and the rate limit is
 * lifted. Its memory, threads, CPU time and thread waits are read from {@code /proc}.
 */
final class ProxyProcess implements AutoCloseable {

    /** Linux counts CPU time in clock ticks of 10 ms ({@code getconf CLK_TCK} is 100). */
    private static final long NANOS_PER_TICK = 10_000_000;

    private final Process process;
    private final int port;
    private final Path log;

    private ProxyProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ProxyProcess start(String tokenUrl, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String command = System.getenv().getOrDefault("PROXY_COMMAND", "./latchkey proxy");
        // exec: the proxy's JVM takes over the shell's pid (./latchkey proxy execs java too).
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "exec " + command);
        builder.environment().putAll(java.util.Map.of(
                "PORT", Integer.toString(port), "BIND_ADDRESS", "127.0.0.1", "LATCHKEY_PROXY_ENV_FILE", "/dev/null",
                "LINEAR_CLIENT_ID", "bench-id", "LINEAR_CLIENT_SECRET", "bench-secret", "LINEAR_TOKEN_URL", tokenUrl,
                "RATE_LIMIT_PER_MINUTE", "1000000000"));
        Files.createDirectories(log.getParent());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        ProxyProcess proxy = new ProxyProcess(builder.start(), port, log);
        proxy.awaitListening();
        System.out.printf("proxy: %s (pid %d, port %d, log %s)%n", command, proxy.process.pid(), port, log);
        return proxy;
    }

    private void awaitListening() throws IOException, InterruptedException {
        for (int i = 0; i < 240; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("the proxy did not listen on 127.0.0.1:" + port + "; its output:\n"
                + String.join("\n", Files.readAllLines(log)));
    }

    int port() {
        return port;
    }

    /** Proportional set size of the proxy's process tree, in MB (shared pages split among their users). */
    double pssMb() {
        return tree().mapToLong(pid -> procField(pid, "smaps_rollup", "Pss:")).sum() / 1024.0;
    }

    /** Threads of the proxy's process tree. */
    long threads() {
        return tree().mapToLong(pid -> procField(pid, "status", "Threads:")).sum();
    }

    /** CPU time the proxy has used so far (user + system), in nanoseconds. */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // Fields after the command name "(java)": state is field 3, utime 14 and stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How often the proxy's live threads have blocked so far (voluntary context switches). */
    long waits() {
        return LoadGenerator.threadWaits(Path.of("/proc", Long.toString(process.pid()), "task"));
    }

    /** Lines the proxy has written to its log so far. */
    long logLines() {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log lines that contain {@code text}. */
    List<String> logLinesContaining(String text) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(text)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The proxy's pid and those of its descendants. */
    private Stream<Long> tree() {
        return Stream.concat(Stream.of(process.pid()), process.descendants().map(ProcessHandle::pid));
    }

    private static long procField(long pid, String file, String field) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), file)).stream()
                    .filter(line -> line.startsWith(field))
                    .mapToLong(line -> Long.parseLong(line.substring(field.length()).replace("kB", "").trim()))
                    .sum();
        } catch (IOException gone) {
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
