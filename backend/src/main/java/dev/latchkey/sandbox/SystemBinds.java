package dev.latchkey.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The read-only system a sandbox is given: {@code /usr}, the top-level {@code /bin}, {@code /lib*}
 * and {@code /sbin} as the host has them (links into {@code /usr} on a merged-/usr system, else
 * directories), {@code /etc} (its secrets masked later, {@link EtcSecrets}) and the target of
 * {@code /etc/resolv.conf} when it links elsewhere (systemd-resolved's in {@code /run}), and
 * {@code /opt/latchkey}, where the packaged app keeps its runtimes.
 */
final class SystemBinds {

    private static final List<String> TOP = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");
    private static final Path OPT = Path.of("/opt/latchkey");

    private SystemBinds() {
    }

    static List<String> args() {
        List<String> args = new ArrayList<>(List.of("--ro-bind", "/usr", "/usr"));
        for (String name : TOP) {
            Path top = Path.of("/", name);
            try {
                if (Files.isSymbolicLink(top)) {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(top).toString(), top.toString()));
                } else if (Files.isDirectory(top)) {
                    args.addAll(List.of("--ro-bind", top.toString(), top.toString()));
                }
            } catch (IOException e) {
                // a link it cannot read is left out, as one that is not there
            }
        }
        args.addAll(List.of("--ro-bind", "/etc", "/etc"));
        try {
            Path resolv = Path.of("/etc/resolv.conf").toRealPath();
            if (!resolv.startsWith("/etc") && !resolv.startsWith("/usr")) {
                args.addAll(List.of("--ro-bind", resolv.toString(), resolv.toString()));
            }
        } catch (IOException e) {
            // no resolver configuration: names do not resolve in the sandbox either
        }
        if (Files.isDirectory(OPT)) {
            args.addAll(List.of("--ro-bind", OPT.toString(), OPT.toString()));
        }
        return args;
    }

    /**
     * Where the server's executable lives when that is outside the system parts, such as a Node
     * under a version manager in the user's home: its directory (the one above, for the {@code bin} of a
     * Node install, since npx there links to {@code ../lib/node_modules}), as found and as it really is.
     */
    static Set<Path> programDirs(Path executable) {
        Set<Path> dirs = new LinkedHashSet<>();
        List<Path> found = new ArrayList<>(List.of(executable.toAbsolutePath().normalize()));
        try {
            found.add(executable.toRealPath());
        } catch (IOException e) {
            // only the path as found
        }
        for (Path path : found) {
            Path dir = path.getParent();
            if (dir == null || isSystem(dir)) {
                continue;
            }
            Path prefix = dir.getParent();
            boolean node = dir.endsWith("bin") && prefix != null && Files.isDirectory(prefix.resolve("lib/node_modules"));
            // An executable right in the home (or above it) is bound alone, never the home with it.
            dirs.add(node ? prefix : Path.of(System.getProperty("user.home")).toAbsolutePath().startsWith(dir) ? path : dir);
        }
        return dirs;
    }

    private static boolean isSystem(Path dir) {
        return dir.startsWith("/usr") || dir.startsWith(OPT) || TOP.stream().anyMatch(name -> dir.startsWith(Path.of("/", name)));
    }
}
