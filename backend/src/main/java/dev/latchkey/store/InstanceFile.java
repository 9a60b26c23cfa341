package dev.latchkey.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code <data dir>/instance.json}: how scripts, QA and {@code latchkey url} find the running app,
 * the way Jupyter's runtime files work. Written owner-only ({@code 0600}) once the server listens,
 * removed when the app stops; a file whose {@code pid} is gone was left by a crash.
 *
 * @param pid      the app's process id
 * @param port     where it listens on 127.0.0.1
 * @param apiToken the API secret, for {@code Authorization: Bearer}
 */
public record InstanceFile(long pid, int port, String apiToken) {

    public static final String NAME = "instance.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes this file into {@code dataDir}, replacing one a crash left behind. */
    public void write(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        try {
            OwnerOnly.write(file, JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new StoreException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The instance file of {@code dataDir}; empty when no app has written one. */
    public static Optional<InstanceFile> read(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), InstanceFile.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Removes the instance file of {@code dataDir}, if there is one. */
    public static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(NAME));
        } catch (IOException e) {
            throw new StoreException("cannot remove " + dataDir.resolve(NAME) + ": " + e.getMessage(), e);
        }
    }

    /** True while the process that wrote the file still runs. */
    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
