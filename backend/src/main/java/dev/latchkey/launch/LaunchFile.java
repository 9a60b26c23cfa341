package dev.latchkey.launch;

import java.util.Objects;

/**
 * A credentials file of a launch spec: its path relative to the install's directory, and the text
 * to write there (mode 0600). The content is a secret; the text form names only the path.
 */
public record LaunchFile(String path, String content) {

    public LaunchFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
    }

    @Override
    public String toString() {
        return "LaunchFile[" + path + "]";
    }
}
