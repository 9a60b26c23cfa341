package dev.latchkey.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One path outside its own directory that a sandboxed server may see, bound at the same path:
 * a {@code directory} or {@code file} value of its {@code user_config} (read-write unless the
 * manifest's field says {@code "read_only": true}), or a program its manifest names by an
 * absolute path (read-only).
 */
public record Grant(Path path, boolean writable) {

    public Grant {
        path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
    }
}
