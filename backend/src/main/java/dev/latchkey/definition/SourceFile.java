package dev.latchkey.definition;

import java.util.Objects;

/**
 * One definition file as read from its folder, before parsing.
 *
 * @param origin   built-in (classpath) or user folder
 * @param label    how problems name the file, e.g. {@code built-in catalog/x.json} or {@code user providers/acme.json}
 * @param fileName the bare file name, e.g. {@code acme.json}
 * @param content  the bytes of the file
 */
public record SourceFile(Origin origin, String label, String fileName, byte[] content) {

    public SourceFile {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(content, "content");
    }

    /** The file name without {@code .json}: what the definition's {@code name} must be. */
    public String baseName() {
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }
}
