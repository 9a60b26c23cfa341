package dev.latchkey.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.StatusChange;
import dev.latchkey.launch.LaunchSpec;
import dev.latchkey.launch.LaunchSpecs;
import dev.latchkey.sandbox.Sandbox;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One attempt to start an install's server, step by step:
 * <ol>
 *   <li>build its launch spec from what is stored now ({@link LaunchSpecs#forInstall});</li>
 *   <li>find its command on the PATH the server gets; a missing runtime fails with what to install;</li>
 *   <li>choose its confinement ({@link Sandbox#mode}): without a sandbox where one is required, it fails;</li>
 *   <li>write its credential files ({@link LaunchSpecs#writeFiles}), and note whether it runs confined;</li>
 *   <li>set the status: {@code installing} when npx has yet to fetch the package, else {@code starting};
 *       an install whose status may not start now (it waits for a sign-in) is not started;</li>
 *   <li>spawn the process ({@link ServerProcess}) and speak MCP to it with the SDK's client:
 *       initialize, then list every tool, within the time limit of the phase; later requests
 *       (tool calls) get {@link RuntimeSettings#toolCallTimeout()} each.</li>
 * </ol>
 */
final class ServerStarter {

    private static final ObjectMapper MANIFESTS = new ObjectMapper();
    private static final McpSchema.Implementation CLIENT = new McpSchema.Implementation("latchkey",
            version());

    private final LaunchSpecs launchSpecs;
    private final InstallService installs;
    private final RuntimeSettings settings;
    private final Map<String, String> appEnv;
    private final Path cacheDir;
    private final Watchdog watchdog;
    private final McpJsonMapper json;
    private final Sandbox sandbox;

    ServerStarter(LaunchSpecs launchSpecs, InstallService installs, RuntimeSettings settings,
            Map<String, String> appEnv, Path cacheDir, Watchdog watchdog, McpJsonMapper json, Sandbox sandbox) {
        this.sandbox = sandbox;
        this.launchSpecs = launchSpecs;
        this.installs = installs;
        this.settings = settings;
        this.appEnv = Map.copyOf(appEnv);
        this.cacheDir = cacheDir;
        this.watchdog = watchdog;
        this.json = json;
    }

    /** @param spawned told the process as soon as it exists, so that a stop need not wait for the handshake */
    StartOutcome start(String installId, ServerLog log, String why, Consumer<ServerProcess> spawned) {
        LaunchSpec spec;
        try {
            spec = launchSpecs.forInstall(installId);
        } catch (InstallRefusedException e) {
            return new StartOutcome.Failed(e.getMessage());
        }
        Map<String, String> env = ServerProcess.environment(spec, appEnv, cacheDir);
        Path executable = Runtimes.find(spec.command(), env.get("PATH")).orElse(null);
        if (executable == null) {
            return new StartOutcome.Failed(Runtimes.missing(spec.command()));
        }
        Sandbox.Mode mode = sandbox.mode(spec.command());
        if (mode == Sandbox.Mode.NONE && sandbox.refusal() != null) {
            installs.sandboxed(installId, false);
            return new StartOutcome.Failed(sandbox.refusal());
        }
        List<String> command;
        try {
            LaunchSpecs.writeFiles(spec);
            command = command(spec, executable, mode);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return new StartOutcome.Failed(e.getMessage());
        } catch (IOException e) {
            return new StartOutcome.Failed("cannot prepare the sandbox of its server: " + e.getMessage());
        }
        installs.sandboxed(installId, mode != Sandbox.Mode.NONE);
        boolean fetching = "npx".equals(spec.command()) && !npxHasPackage(cacheDir.resolve("npm"), spec.args());
        Duration limit = fetching || isPackageRunner(spec.command()) ? settings.installTimeout() : settings.startTimeout();
        String what = spec.command() + " " + String.join(" ", spec.maskedArgs());
        StatusChange starting = installs.transition(installId, fetching ? InstallStatus.INSTALLING : InstallStatus.STARTING,
                fetching ? "Fetching its packages with npx (first start; up to " + minutes(limit) + ")." : why);
        if (!starting.applied()) {
            return new StartOutcome.Refused(starting.install().status().wireName());
        }
        log.append("[latchkey] starting: " + what);
        log.append("[latchkey] " + describe(mode, spec));
        ServerProcess process;
        try {
            process = ServerProcess.start(spec, command, mode == Sandbox.Mode.BUBBLEWRAP, env, log, watchdog,
                    mode == Sandbox.Mode.CONTAINER ? null : sandbox.limits());
            spawned.accept(process);
        } catch (IOException e) {
            return new StartOutcome.Failed("cannot start " + spec.command() + ": " + e.getMessage());
        }
        return handshake(spec, process, limit, fetching);
    }

    private StartOutcome handshake(LaunchSpec spec, ServerProcess process, Duration limit, boolean fetching) {
        ListChanges changes = new ListChanges();
        // One request time limit serves the whole client: the tool calls' own. The start's
        // tools/list is held to the start's limit below.
        McpSyncClient client = changes.wire(McpClient.sync(new ProcessTransport(process.process(), json, spec.installId()))
                .clientInfo(CLIENT)
                .initializationTimeout(limit)
                .requestTimeout(settings.toolCallTimeout()))
                .build();
        AtomicBoolean answered = new AtomicBoolean();
        // A server that exits before it answers would leave initialize() waiting for its time
        // limit; closing the client fails the pending request at once.
        process.onExit().thenRun(() -> {
            if (!answered.get()) {
                client.close();
            }
        });
        try {
            client.initialize();
            List<McpSchema.Tool> tools = within(limit, () -> ToolPages.all(client));
            answered.set(true);
            if (!process.process().isAlive()) {
                throw new IllegalStateException("exited");
            }
            return new StartOutcome.Started(process, client, tools, spec, changes);
        } catch (RuntimeException e) {
            answered.set(true);
            client.close();
            Integer exit = exitCode(process);
            process.stop(settings.stopGrace());
            if (process.overLimit() != null) {
                return new StartOutcome.Failed(process.overLimit());
            }
            if (exit != null) {
                return new StartOutcome.Crashed(exit);
            }
            if (fetching) {
                return new StartOutcome.Failed("npx did not finish fetching the server's packages within "
                        + minutes(limit) + "; check the network connection (and the package name), then press Start");
            }
            return new StartOutcome.Failed("the server did not answer MCP initialize and tools/list within "
                    + seconds(limit) + ": " + spec.redact(rootMessage(e)));
        }
    }

    /**
     * Refreshed credentials for a server that runs from {@code started}: when they reach it only
     * through its credential files (its command, arguments and environment stay as they are), the
     * files are written anew in place and true comes back; false when it must restart to see them.
     */
    boolean rewriteInPlace(String installId, StartOutcome.Started started, ServerLog log) {
        LaunchSpec now;
        try {
            now = launchSpecs.forInstall(installId);
        } catch (InstallRefusedException e) {
            return false;
        }
        LaunchSpec before = started.spec();
        // A sandbox holds each credential file bound read-only by its inode; a file written anew
        // (renamed over the old one) is seen there only by a server started after it.
        if (started.process().sandboxed() && !now.files().isEmpty() || !now.command().equals(before.command()) || !now.args().equals(before.args()) || !now.env().equals(before.env())
                || !now.directory().equals(before.directory())) {
            return false;
        }
        LaunchSpecs.writeFiles(now);
        log.append("[latchkey] refreshed credentials written to its files in place; it keeps running");
        return true;
    }

    /** The command line of a server: its executable and arguments, in its sandbox when {@code mode} says so. */
    private List<String> command(LaunchSpec spec, Path executable, Sandbox.Mode mode) throws IOException {
        if (mode != Sandbox.Mode.BUBBLEWRAP) {
            List<String> bare = new java.util.ArrayList<>(List.of(executable.toString()));
            bare.addAll(spec.args());
            return bare;
        }
        return sandbox.command(new Sandbox.Launch(executable, spec.args(), spec.directory(), cacheDir, spec.filePaths(),
                spec.access()));
    }

    private String describe(Sandbox.Mode mode, LaunchSpec spec) {
        return switch (mode) {
            case BUBBLEWRAP -> "sandbox: bubblewrap, network " + (spec.access().network() ? "on" : "off") + ", "
                    + spec.access().grants().size() + " granted path(s)";
            case CONTAINER -> "sandbox: its docker container";
            case NONE -> "sandbox: none, it runs as you: " + sandbox.support().problem();
        };
    }

    private static <T> T within(Duration limit, java.util.function.Supplier<T> request) {
        // A thread of its own, not the common pool (one worker on two cores): a hung server must not
        // hold up another's start; the caller's client.close() ends the request once the limit passed.
        CompletableFuture<T> answer = CompletableFuture.supplyAsync(request, task -> {
            Thread thread = new Thread(task, "mcp-tools-list");
            thread.setDaemon(true);
            thread.start();
        });
        try {
            return answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new IllegalStateException("no answer to tools/list", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The exit code when the process ended (or ends within a moment), else null. */
    private static Integer exitCode(ServerProcess process) {
        try {
            return process.process().waitFor(300, TimeUnit.MILLISECONDS) ? process.process().exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Whether npx finds {@code args}' package in its cache ({@code _npx/<hash>/node_modules/<name>}) without fetching it. */
    static boolean npxHasPackage(Path npmCache, List<String> args) {
        String spec = args.stream().filter(arg -> !arg.startsWith("-")).findFirst().orElse(null);
        if (spec == null) {
            return true;
        }
        int at = spec.indexOf('@', spec.startsWith("@") ? 1 : 0);
        String name = at < 0 ? spec : spec.substring(0, at);
        String version = at < 0 ? null : spec.substring(at + 1);
        Path npx = npmCache.resolve("_npx");
        if (!Files.isDirectory(npx)) {
            return false;
        }
        try (var installs = Files.list(npx)) {
            return installs.map(dir -> dir.resolve("node_modules").resolve(name).resolve("package.json"))
                    .filter(Files::isRegularFile)
                    .anyMatch(manifest -> version == null || hasVersion(manifest, version));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasVersion(Path manifest, String version) {
        try {
            return version.equals(MANIFESTS.readTree(manifest.toFile()).path("version").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** Commands that may fetch what they run on a start (and so get the longer time limit). */
    private static boolean isPackageRunner(String command) {
        return List.of("npx", "uvx", "docker").contains(command);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String minutes(Duration limit) {
        return limit.toSeconds() % 60 == 0 && limit.toMinutes() > 0
                ? limit.toMinutes() + (limit.toMinutes() == 1 ? " minute" : " minutes") : seconds(limit);
    }

    private static String seconds(Duration limit) {
        return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
    }

    private static String version() {
        String version = ServerStarter.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
