package dev.latchkey.runtime;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finding a server's command on the {@code PATH} the server gets, and naming what to install when
 * it is missing: the language runtimes that catalog servers are started with.
 */
public final class Runtimes {

    /** The commands catalog servers use, each with the thing a person installs to get it. */
    private static final Map<String, String> PROVIDED_BY = Map.of(
            "npx", "Node.js", "node", "Node.js", "npm", "Node.js",
            "uvx", "uv", "uv", "uv",
            "python", "Python", "python3", "Python",
            "docker", "Docker");

    /** The order {@code latchkey doctor} lists them in. */
    private static final List<String> LISTED = List.of("npx", "node", "uvx", "uv", "python3", "python", "docker");

    private Runtimes() {
    }

    /** The executable {@code command} names on {@code path} (a {@code PATH} value), if any. */
    public static Optional<Path> find(String command, String path) {
        if (command.isBlank()) {
            return Optional.empty();
        }
        if (command.contains("/")) {
            Path file = Path.of(command);
            return file.isAbsolute() && Files.isExecutable(file) && !Files.isDirectory(file)
                    ? Optional.of(file) : Optional.empty();
        }
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * What the install's status says when {@code command} is missing, e.g.
     * {@code needs uv (uvx) — install it from its site or your package manager}.
     */
    public static String missing(String command) {
        String provider = PROVIDED_BY.get(command);
        if (provider == null) {
            return "cannot start: the command \"" + command + "\" is not installed (not found on PATH)";
        }
        return "needs " + provider + " (" + command + ") — install it from its site or your package manager";
    }

    /** One line per runtime catalog servers use: where it is, or what to install; for {@code latchkey doctor}. */
    public static List<String> report(String path) {
        List<String> lines = new ArrayList<>();
        for (String command : LISTED) {
            lines.add(find(command, path)
                    .map(found -> "runtime " + command + ": " + found)
                    .orElseGet(() -> "runtime " + command + ": missing — install " + PROVIDED_BY.get(command)
                            + " from its site or your package manager"));
        }
        return lines;
    }
}
