package dev.latchkey.runtime;

import dev.latchkey.launch.LaunchSpec;
import dev.latchkey.sandbox.Limits;
import dev.latchkey.sandbox.Spawner;
import dev.latchkey.sandbox.TreeWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server process: started in a session (and process group) of its own through
 * {@code setsid}, so that stopping it reaches everything it started (npx's node, uv's python),
 * with a clean environment, its stderr redacted into its {@link ServerLog}, its group told to the
 * {@link Watchdog}. stdin and stdout are the MCP channel ({@link ProcessTransport}). Its process
 * tree is held to its {@link Limits} ({@link TreeWatch}): over one, the group is killed and
 * {@link #overLimit()} says which.
 */
final class ServerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);

    /** The app's variables a server gets besides its own: the path to find its runtime, locale, terminal. */
    private static final List<String> BASICS = List.of("PATH", "LANG", "LANGUAGE", "TERM");

    private final Process process;
    private final Watchdog watchdog;
    private final boolean sandboxed;
    private volatile TreeWatch limits;
    private volatile String overLimit;

    private ServerProcess(Process process, Watchdog watchdog, boolean sandboxed) {
        this.process = process;
        this.watchdog = watchdog;
        this.sandboxed = sandboxed;
    }

    /**
     * The environment of a server: {@code PATH}, locale ({@code LANG}, {@code LANGUAGE},
     * {@code LC_*}) and {@code TERM} from the app's environment, {@code HOME} = the install's
     * directory, npm's package cache shared by all installs (so a second install of a package
     * does not fetch it again) and uv's beside it, npm kept offline when the install has no network,
     * then the spec's own variables. Nothing else of the app's.
     */
    static Map<String, String> environment(LaunchSpec spec, Map<String, String> appEnv, Path cacheDir) {
        Map<String, String> env = new LinkedHashMap<>();
        appEnv.forEach((name, value) -> {
            if (BASICS.contains(name) || name.startsWith("LC_")) {
                env.put(name, value);
            }
        });
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", spec.directory().toString());
        env.put("npm_config_cache", cacheDir.resolve("npm").toString());
        env.put("UV_CACHE_DIR", cacheDir.resolve("uv").toString());
        env.put("npm_config_update_notifier", "false");
        if (!spec.access().network()) {
            // With no network, npm asking the registry would wait out its retries before it used the
            // cache: the package comes from the shared cache at once, or npx fails at once.
            env.put("npm_config_offline", "true");
        }
        env.putAll(spec.env());
        return env;
    }

    /**
     * Starts {@code command} (the server's executable and arguments, or the bubblewrap line that
     * runs them in its sandbox) in the install's directory, held to {@code limits} unless null.
     *
     * @throws IOException when the process cannot be spawned
     */
    static ServerProcess start(LaunchSpec spec, List<String> command, boolean sandboxed, Map<String, String> env,
            ServerLog log, Watchdog watchdog, Limits limits) throws IOException {
        List<String> line = new ArrayList<>();
        line.add("setsid");
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line).directory(spec.directory().toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        // From the spawner's thread: bwrap's --die-with-parent follows the thread that forked it.
        Process process = Spawner.start(builder);
        // setsid runs the command in place (the child is no group leader), so pid = process group id.
        watchdog.watch(process.pid());
        ServerProcess started = new ServerProcess(process, watchdog, sandboxed);
        started.pumpStderr(spec, log);
        if (limits != null) {
            started.limits = TreeWatch.start(process.toHandle(), limits, reason -> {
                started.overLimit = reason;
                log.append("[latchkey] " + reason);
                started.signalGroup("KILL");
            });
        }
        return started;
    }

    /** Whether it runs in a bubblewrap sandbox. */
    boolean sandboxed() {
        return sandboxed;
    }

    /** Why it was stopped for going over a limit (the install's reason), or null when it was not. */
    String overLimit() {
        return overLimit;
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /**
     * Stops the whole process group: SIGTERM, then SIGKILL after {@code grace}. Also kills what the
     * server left behind when its first process already exited; called after every run, crashed or not.
     */
    void stop(Duration grace) {
        TreeWatch watch = limits;
        if (watch != null) {
            watch.close();
        }
        signalGroup("TERM");
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                signalGroup("KILL");
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (hasGroupMembers()) {
            signalGroup("KILL");
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        watchdog.forget(process.pid());
    }

    private void signalGroup(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warn("cannot signal process group {}: {}", process.pid(), e.toString());
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether any process is still in the server's group (read from /proc, where Linux lists them). */
    boolean hasGroupMembers() {
        String group = Long.toString(process.pid());
        try (var dirs = Files.list(Path.of("/proc"))) {
            return dirs.filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit))
                    .anyMatch(dir -> group.equals(processGroup(dir)));
        } catch (IOException e) {
            return false;
        }
    }

    /** The process group of the process whose /proc directory is {@code dir}, or null when it is gone. */
    static String processGroup(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so split after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void pumpStderr(LaunchSpec spec, ServerLog log) {
        Thread pump = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    log.append(spec.redact(line));
                }
            } catch (IOException e) {
                LOG.debug("reading the stderr of install {} ended: {}", spec.installId(), e.toString());
            }
        }, "mcp-stderr-" + spec.installId());
        pump.setDaemon(true);
        pump.start();
    }
}
