package dev.latchkey.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.latchkey.AppConfig;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.launch.LaunchSpecs;
import dev.latchkey.provider.ProviderRegistry;
import dev.latchkey.runtime.McpRuntime;
import dev.latchkey.runtime.RuntimeSettings;
import dev.latchkey.sandbox.Limits;
import dev.latchkey.sandbox.Sandbox;
import dev.latchkey.sandbox.SandboxSupport;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's cost: install → tools listed of the built-in server-everything ({@code npx}, npm
 * cache warm) with its server bare and in its bubblewrap sandbox, in the same run, the two in
 * turn ({@code RUNS} each, after one unmeasured start of each that warms the cache); the medians
 * and their ratio, and the PSS of the server's whole process tree once it runs (bwrap's two
 * processes included), bare against sandboxed. One data directory and npm cache for both; a
 * runtime of its own per start, so that only one server runs at a time.
 *
 * <p>{@code java … dev.latchkey.bench.SandboxBenchmark [RUNS]} (as {@code bench/sandbox.sh}).
 */
public final class SandboxBenchmark {

    private static final String EVERYTHING = "modelcontextprotocol__everything";

    private SandboxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dataDir = Files.createTempDirectory("latchkey-sandbox-bench");
        AppConfig config = AppConfig.of(dataDir);
        SandboxSupport support = SandboxSupport.probe(System.getenv("PATH"));
        if (!support.available()) {
            throw new IllegalStateException(support.problem());
        }
        Sandbox sandboxed = new Sandbox(() -> support, true, Limits.DEFAULT, dataDir);
        Sandbox bare = new Sandbox(() -> new SandboxSupport(null, "bare, for the comparison", false), false, Limits.DEFAULT, dataDir);
        try (Database database = Database.open(dataDir)) {
            InstallStore store = new InstallStore(database, SecretVault.open(dataDir),
                    new ObjectMapper().registerModule(new JavaTimeModule()), Clock.systemUTC());
            InstallEvents events = new InstallEvents();
            Catalog catalog = Catalog.load(config.userCatalogDir());
            InstallService installs = new InstallService(catalog, store, events, Clock.systemUTC());
            LaunchSpecs specs = new LaunchSpecs(catalog, ProviderRegistry.load(config.userProvidersDir()), store, config::installDir);
            World world = new World(config, installs, specs, events);
            System.out.printf("first starts (npx may fetch): bare %,d ms, sandboxed %,d ms%n",
                    world.start(bare).millis(), world.start(sandboxed).millis());
            List<Long> bareMs = new ArrayList<>();
            List<Long> boxMs = new ArrayList<>();
            List<Long> barePss = new ArrayList<>();
            List<Long> boxPss = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Start one = world.start(i % 2 == 0 ? bare : sandboxed);
                Start other = world.start(i % 2 == 0 ? sandboxed : bare);
                Start b = i % 2 == 0 ? one : other;
                Start s = i % 2 == 0 ? other : one;
                bareMs.add(b.millis());
                boxMs.add(s.millis());
                barePss.add(b.pssKib());
                boxPss.add(s.pssKib());
            }
            long medianBare = median(bareMs);
            long medianBox = median(boxMs);
            System.out.printf("install -> tools listed, warm npm cache, %d runs each: bare median %,d ms (min %,d, max %,d);"
                    + " sandboxed median %,d ms (min %,d, max %,d); ratio %.2f%n", runs, medianBare, Collections.min(bareMs),
                    Collections.max(bareMs), medianBox, Collections.min(boxMs), Collections.max(boxMs), (double) medianBox / medianBare);
            System.out.printf("PSS of the server's process tree while it runs: bare median %,d KiB, sandboxed median %,d KiB;"
                    + " added by the sandbox %,d KiB per server%n", median(barePss), median(boxPss), median(boxPss) - median(barePss));
        }
        System.exit(0);
    }

    private record Start(long millis, long pssKib) {
    }

    private record World(AppConfig config, InstallService installs, LaunchSpecs specs, InstallEvents events) {

        /** One install → running under {@code sandbox}, its tree's PSS, then uninstalled and its runtime closed. */
        Start start(Sandbox sandbox) throws Exception {
            try (McpRuntime runtime = new McpRuntime(config, installs, specs, events, RuntimeSettings.defaults(), System.getenv(),
                    Clock.systemUTC(), sandbox)) {
                long t0 = System.nanoTime();
                Install install = installs.install(new InstallRequest(EVERYTHING, Map.of(), AuthMethod.NONE));
                while (true) {
                    Install now = installs.find(install.id()).orElseThrow();
                    if (now.status() == InstallStatus.RUNNING) {
                        break;
                    }
                    if (now.status() == InstallStatus.FAILED) {
                        throw new IllegalStateException("failed: " + now.statusReason());
                    }
                    Thread.sleep(5);
                }
                long millis = (System.nanoTime() - t0) / 1_000_000;
                Thread.sleep(1000); // settled: what it holds once running, not the start's peak
                long pss = ProcessHandle.current().descendants()
                        .filter(process -> !process.info().command().orElse("").endsWith("/sh")) // the runtime's watchdog
                        .mapToLong(process -> pss(process.pid())).sum();
                runtime.stop(install.id()).join();
                installs.uninstall(install.id());
                return new Start(millis, pss);
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Proportional set size in KiB, from /proc/PID/smaps_rollup; 0 for a process gone meanwhile. */
    private static long pss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
