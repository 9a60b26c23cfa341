package dev.latchkey.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.store.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code <data dir>/gateway.json} (mode 0600): where {@code latchkey mcp} finds the running app's
 * gateway — its port and a client token of the stdio bridge's own. Written when the app starts,
 * deleted when it stops; a left-over file (a crash) names a port nobody answers on.
 */
public record GatewayFile(int port, String clientToken) {

    public static final String NAME = "gateway.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The gateway's address. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/mcp");
    }

    /** Writes the file whole and owner-only ({@link OwnerOnly#write}): a reader never sees half of it. */
    public void write(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        try {
            OwnerOnly.write(file, JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file of {@code dataDir}; empty when there is none (the app is not running there). */
    public static Optional<GatewayFile> read(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), GatewayFile.class));
        } catch (IOException e) {
            throw new UncheckedIOException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    public static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dataDir.resolve(NAME) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "GatewayFile[port=" + port + ", clientToken=…]";
    }
}
