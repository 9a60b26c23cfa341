package dev.latchkey.sandbox;

import dev.latchkey.catalog.CatalogServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an install's server may reach beyond its own directory and the system's read-only parts:
 * the paths it was granted ({@link Grant}) and whether it has the network.
 */
public record Access(List<Grant> grants, boolean network) {

    /** Nothing granted, the network on: what an install gets unless its settings say more. */
    public static final Access DEFAULT = new Access(List.of(), true);

    public Access {
        grants = List.copyOf(grants);
    }

    /**
     * The grants of one install: each {@code directory} or {@code file} value of its settings
     * (every item of a {@code multiple} one), and the programs its manifest names by an absolute
     * path, such as {@code node /opt/acme/server.js} (read-only; see {@link #programPaths}).
     *
     * @param config the install's validated settings
     */
    public static Access of(CatalogServer server, Map<String, Object> config, boolean network) {
        List<Grant> grants = new ArrayList<>();
        server.userConfig().forEach((key, field) -> {
            if (("directory".equals(field.type()) || "file".equals(field.type())) && config.get(key) != null) {
                for (String value : texts(config.get(key))) {
                    if (Path.of(value).isAbsolute()) {
                        grants.add(new Grant(Path.of(value), !field.readOnly()));
                    }
                }
            }
        });
        List<String> literal = new ArrayList<>(server.server().args());
        literal.add(server.server().command() == null ? "" : server.server().command());
        for (String arg : literal) {
            if (arg.startsWith("/") && !arg.contains("${")) {
                programPaths(Path.of(arg)).forEach(path -> grants.add(new Grant(path, false)));
            }
        }
        return new Access(grants, network);
    }

    /**
     * What a program at {@code path} needs to run: the outermost {@code node_modules} directory it
     * lies in (Node looks for a package's dependencies in every {@code node_modules} above it), else
     * its own directory, unless that holds the user's home (then the file alone); and the same for its real path when links lead elsewhere (Node runs a
     * script from its real path). Nothing when it does not exist.
     */
    static Set<Path> programPaths(Path path) {
        Set<Path> paths = new LinkedHashSet<>();
        if (!Files.exists(path)) {
            return paths;
        }
        paths.add(root(path.toAbsolutePath().normalize()));
        try {
            paths.add(root(path.toRealPath()));
        } catch (IOException e) {
            // the path as written is bound; its real one cannot be read
        }
        return paths;
    }

    private static Path root(Path path) {
        Path at = path.getRoot();
        for (Path part : path) {
            at = at.resolve(part);
            if (part.toString().equals("node_modules") && !at.equals(path)) {
                return at;
            }
        }
        Path dir = Files.isDirectory(path) ? path : path.getParent();
        // A script in the home itself (or above it) is bound alone: its directory would show the user's keys.
        return Path.of(System.getProperty("user.home")).toAbsolutePath().startsWith(dir) ? path : dir;
    }

    private static List<String> texts(Object value) {
        List<String> texts = new ArrayList<>();
        if (value instanceof Collection<?> items) {
            items.forEach(item -> texts.add(String.valueOf(item)));
        } else {
            texts.add(String.valueOf(value));
        }
        return texts;
    }
}
