package dev.latchkey.definition;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Reads the {@code *.json} files of one folder: a classpath folder (built-ins, from
 * {@code target/classes} or from inside a jar) or a folder of the user's. Files come back sorted
 * by name so that loading is the same on every machine.
 */
public final class SourceFiles {

    /** Files that were read, and files that could not be read at all. */
    public record Listing(List<SourceFile> files, List<LoadProblem> problems) {

        public Listing {
            files = List.copyOf(files);
            problems = List.copyOf(problems);
        }
    }

    private SourceFiles() {
    }

    /**
     * The {@code *.json} files directly inside the classpath folder {@code folder} (no
     * sub-folders), labelled {@code built-in <folder>/<file>}.
     *
     * @throws IllegalStateException when the folder is not on the classpath: a packaging bug
     */
    public static List<SourceFile> classpath(ClassLoader loader, String folder) {
        URL url = loader.getResource(folder + "/");
        if (url == null) {
            url = loader.getResource(folder);
        }
        if (url == null) {
            throw new IllegalStateException("built-in folder " + folder + "/ is not on the classpath");
        }
        try {
            return switch (url.getProtocol()) {
                case "file" -> fromDirectory(Path.of(url.toURI()), folder);
                case "jar" -> fromJar(url, folder);
                default -> throw new IllegalStateException(
                        "built-in folder " + folder + "/ is at " + url + ", which Latchkey cannot list");
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in folder " + folder + "/", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("built-in folder " + folder + "/ has a bad location " + url, e);
        }
    }

    /**
     * The {@code *.json} files directly inside the user's folder {@code dir}, labelled
     * {@code user <kind>/<file>}; an empty listing when the folder does not exist.
     */
    public static Listing userFolder(Path dir, String kind) {
        if (dir == null || !Files.isDirectory(dir)) {
            return new Listing(List.of(), List.of());
        }
        List<SourceFile> files = new ArrayList<>();
        List<LoadProblem> problems = new ArrayList<>();
        List<Path> paths;
        try {
            paths = jsonFilesIn(dir);
        } catch (UncheckedIOException e) {
            problems.add(new LoadProblem("user " + kind + "/", "cannot be listed: " + e.getCause().getClass().getSimpleName()));
            return new Listing(files, problems);
        }
        for (Path path : paths) {
            String name = path.getFileName().toString();
            String label = "user " + kind + "/" + name;
            try {
                files.add(new SourceFile(Origin.USER, label, name, Files.readAllBytes(path)));
            } catch (IOException e) {
                problems.add(new LoadProblem(label, "cannot be read: " + e.getClass().getSimpleName()));
            }
        }
        return new Listing(files, problems);
    }

    private static List<SourceFile> fromDirectory(Path dir, String folder) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        for (Path path : jsonFilesIn(dir)) {
            String name = path.getFileName().toString();
            files.add(new SourceFile(Origin.BUILT_IN, "built-in " + folder + "/" + name, name,
                    Files.readAllBytes(path)));
        }
        return files;
    }

    // A fresh, uncached JarFile: closing it cannot pull the jar from under other readers.
    private static List<SourceFile> fromJar(URL url, String folder) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        String prefix = folder + "/";
        List<SourceFile> files = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                String rest = name.startsWith(prefix) ? name.substring(prefix.length()) : "";
                if (entry.isDirectory() || !rest.endsWith(".json") || rest.contains("/")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    files.add(new SourceFile(Origin.BUILT_IN, "built-in " + name, rest, in.readAllBytes()));
                }
            }
        }
        files.sort(Comparator.comparing(SourceFile::fileName));
        return files;
    }

    private static List<Path> jsonFilesIn(Path dir) {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
