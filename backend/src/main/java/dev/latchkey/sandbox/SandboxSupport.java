package dev.latchkey.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What this machine offers for sandboxing servers, found by trying it once: bubblewrap
 * ({@code bwrap}) and whether it can make the namespaces a sandbox needs (user namespaces may be
 * disabled, by a sysctl or by AppArmor), and whether memory and task limits can be left to a
 * cgroup v2 scope of the user's systemd ({@code systemd-run --user --scope}).
 *
 * @param bwrap   the bubblewrap executable, or null when it is missing
 * @param problem why servers cannot be sandboxed here and what to do, or null when they can
 * @param scopes  whether {@code systemd-run --user --scope} works on a cgroup v2 hierarchy
 */
public record SandboxSupport(Path bwrap, String problem, boolean scopes) {

    static final String INSTALL = "install bubblewrap (apt-get install bubblewrap)";

    static final String ENABLE = "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1;"
            + " on Ubuntu 23.10 and later also sysctl kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor"
            + " profile that allows userns for /usr/bin/bwrap)";

    public boolean available() {
        return problem == null;
    }

    /** Tries bubblewrap (found on {@code path}, the PATH servers get) with every namespace a sandbox uses; a few milliseconds. */
    public static SandboxSupport probe(String path) {
        Optional<Path> bwrap = find(path);
        if (bwrap.isEmpty()) {
            return new SandboxSupport(null, "bubblewrap (bwrap) is not installed, so servers cannot be sandboxed: "
                    + INSTALL, false);
        }
        List<String> trial = new ArrayList<>(List.of(bwrap.get().toString(), "--unshare-user", "--unshare-pid",
                "--unshare-ipc", "--unshare-uts", "--unshare-net", "--die-with-parent"));
        trial.addAll(SystemBinds.args());
        trial.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--", "true"));
        String failed = run(trial);
        if (failed != null) {
            return new SandboxSupport(bwrap.get(), "bubblewrap cannot make the namespaces of a sandbox here ("
                    + failed + "), so servers cannot be sandboxed: " + ENABLE, false);
        }
        boolean scopes = Files.isRegularFile(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                && run(List.of("systemd-run", "--user", "--scope", "--quiet", "--", "/usr/bin/true")) == null;
        return new SandboxSupport(bwrap.get(), null, scopes);
    }

    /** The lines {@code latchkey doctor} prints about it. */
    public List<String> report() {
        if (!available()) {
            return List.of("sandbox: none — " + problem);
        }
        return List.of("sandbox: bubblewrap " + bwrap + " (each server in its own namespaces)",
                "sandbox limits: " + (scopes ? "a cgroup v2 scope per server (systemd-run --user --scope), and Latchkey's own watch"
                        : "Latchkey watches each server's memory and task count (no cgroup v2 scope of a user systemd here)"));
    }

    private static Optional<Path> find(String path) {
        for (String dir : (path == null ? "" : path).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "bwrap"))) {
                return Optional.of(Path.of(dir, "bwrap"));
            }
        }
        return Optional.empty();
    }

    /** Null when {@code command} exits 0 within 5 s, else the first line it wrote to stderr (or why it did not run). */
    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return command.get(0) + " did not finish within 5 s";
            }
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.exitValue() == 0 ? null
                    : err.isEmpty() ? "exit " + process.exitValue() : err.lines().findFirst().orElse(err);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
