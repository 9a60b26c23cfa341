package dev.latchkey.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How Latchkey confines a local server: a bubblewrap sandbox of its own, unless its command is
 * {@code docker} (its container confines it) or bubblewrap cannot run here; then the server runs
 * bare, or not at all when a sandbox is required ({@code --require-sandbox}). docs/security.md
 * says what a sandboxed server sees; {@link #command} is where that is decided.
 */
public final class Sandbox {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    /** How one server runs. */
    public enum Mode {
        /** In a bubblewrap sandbox of its own. */
        BUBBLEWRAP,
        /** A {@code docker} command: confined by its container (its manifest checked when the catalog is read, {@code catalog.DockerArgs}). */
        CONTAINER,
        /** As the user, with only a clean environment and its own HOME. */
        NONE
    }

    /** What a server is started with: the executable found on its PATH, its arguments, its directory and files. */
    public record Launch(Path executable, List<String> args, Path home, Path cacheDir, List<Path> credentialFiles,
            Access access) {
        public Launch {
            args = List.copyOf(args);
            credentialFiles = List.copyOf(credentialFiles);
        }
    }

    private final Supplier<SandboxSupport> support;
    private final boolean required;
    private final Limits limits;
    private final Path dataDir;

    /** @param support probed once, when the first server starts (not on the app's start path) */
    public Sandbox(Supplier<SandboxSupport> support, boolean required, Limits limits, Path dataDir) {
        this.support = memoized(support);
        this.required = required;
        this.limits = limits;
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The app's: bubblewrap probed on {@code path}, the default limits. */
    public static Sandbox forApp(Path dataDir, boolean required, String path) {
        return new Sandbox(() -> SandboxSupport.probe(path), required, Limits.DEFAULT, dataDir);
    }

    public SandboxSupport support() {
        return support.get();
    }

    public Limits limits() {
        return limits;
    }

    /** Whether a server may not run without a sandbox ({@code --require-sandbox}). */
    public boolean required() {
        return required;
    }

    public Mode mode(String command) {
        if ("docker".equals(command)) {
            return Mode.CONTAINER;
        }
        return support().available() ? Mode.BUBBLEWRAP : Mode.NONE;
    }

    /** Why a server whose mode is {@link Mode#NONE} may not start; null when it may run bare. */
    public String refusal() {
        return required && !support().available()
                ? "Not started: Latchkey requires a sandbox (--require-sandbox), but " + support().problem() : null;
    }

    /** The whole command line that starts {@code launch} in its sandbox (bwrap first, the server last). */
    public List<String> command(Launch launch) throws IOException {
        SandboxSupport here = support();
        Path home = launch.home().toAbsolutePath().normalize();
        Path cache = launch.cacheDir().toAbsolutePath().normalize();
        Files.createDirectories(cache);
        List<String> args = new ArrayList<>();
        if (here.scopes()) {
            // The kernel's hard stop, a quarter above the watched limit, so that the watch names the limit first.
            args.addAll(List.of("systemd-run", "--user", "--scope", "--quiet", "--collect",
                    "-p", "MemoryMax=" + limits.memoryBytes() / 4 * 5, "-p", "TasksMax=" + limits.tasks(), "--"));
        }
        args.add(here.bwrap().toString());
        // No --new-session: setsid already gave bwrap a session without a controlling terminal (so no
        // TIOCSTI), and staying in bwrap's process group lets a stop's SIGTERM reach the server itself.
        args.addAll(List.of("--die-with-parent", "--unshare-user", "--unshare-pid", "--unshare-ipc",
                "--unshare-uts", "--unshare-cgroup-try"));
        if (!launch.access().network()) {
            args.add("--unshare-net");
        }
        args.addAll(SystemBinds.args());
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/dev/shm", "--tmpfs", "/tmp"));
        boolean dataDirShown = false;
        for (Path program : SystemBinds.programDirs(launch.executable())) {
            args.addAll(List.of("--ro-bind", program.toString(), program.toString()));
            dataDirShown |= dataDir.startsWith(program);
        }
        // Outer paths first, so that a path inside another is bound over it, as granted.
        List<Grant> grants = launch.access().grants().stream()
                .sorted(java.util.Comparator.comparingInt((Grant grant) -> grant.path().getNameCount())).toList();
        for (Grant grant : grants) {
            if (!Files.exists(grant.path()) || grant.path().startsWith(dataDir) || grant.path().getNameCount() == 0) {
                LOG.info("not bound into the sandbox of {}: {} (missing, the root, or inside Latchkey's data directory)",
                        home.getFileName(), grant.path());
                continue;
            }
            args.addAll(List.of(grant.writable() ? "--bind" : "--ro-bind", grant.path().toString(), grant.path().toString()));
            dataDirShown |= dataDir.startsWith(grant.path());
        }
        if (dataDirShown) {
            // A grant above the data directory (the user's home, say) must not show the vault or another install.
            args.addAll(List.of("--tmpfs", dataDir.toString()));
        }
        args.addAll(EtcSecrets.masks(Path.of("/etc")));
        args.addAll(List.of("--bind", cache.toString(), cache.toString()));
        for (Path tree : npxTrees(cache)) {
            // Packages npx installed earlier are run from here as they are, unchecked: no server may change them.
            args.addAll(List.of("--ro-bind", tree.toString(), tree.toString()));
        }
        args.addAll(List.of("--bind", home.toString(), home.toString()));
        for (Path file : launch.credentialFiles()) {
            args.addAll(List.of("--ro-bind", file.toString(), file.toString()));
        }
        // The root (a tmpfs of bwrap's, with the mount points above) is made read-only last: a server
        // writes only to its HOME, the cache, /tmp and what it was granted read-write.
        args.addAll(List.of("--remount-ro", "/", "--chdir", home.toString(), "--"));
        if (Files.isExecutable(Path.of("/usr/bin/prlimit"))) {
            // Counted per user namespace since Linux 5.14, so this is the sandbox's own count; root is exempt.
            args.addAll(List.of("/usr/bin/prlimit", "--nproc=" + limits.tasks(), "--"));
        }
        args.add(launch.executable().toString());
        args.addAll(launch.args());
        return args;
    }

    /** The package trees npx has installed into the cache, {@code npm/_npx/<hash>/node_modules}. */
    private static List<Path> npxTrees(Path cache) throws IOException {
        Path npx = cache.resolve("npm").resolve("_npx");
        if (!Files.isDirectory(npx)) {
            return List.of();
        }
        try (var dirs = Files.list(npx)) {
            return dirs.map(dir -> dir.resolve("node_modules")).filter(Files::isDirectory).sorted().toList();
        }
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
