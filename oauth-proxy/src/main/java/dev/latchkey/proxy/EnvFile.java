package dev.latchkey.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code .env} file: {@code KEY=VALUE} lines, {@code #} comments, an optional {@code export }
 * prefix and optional single or double quotes around the value. No variable expansion: a secret
 * that contains {@code $} stays as written.
 */
public final class EnvFile {

    private EnvFile() {
    }

    /** The variables in {@code file}, or none when the file does not exist. */
    public static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return parse(Files.readAllLines(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static Map<String, String> parse(List<String> lines, String source) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int equals = line.indexOf('=');
            String key = equals < 0 ? "" : line.substring(0, equals).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                // The line may hold a secret, so the message names only its place.
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected KEY=VALUE");
            }
            values.put(key, unquote(line.substring(equals + 1).strip()));
        }
        return values;
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
                return value.substring(1, value.length() - 1);
            }
        }
        return value;
    }
}
