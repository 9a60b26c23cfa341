package dev.latchkey.gateway;

import java.net.URI;
import java.nio.file.Path;

/**
 * Runs {@link StdioBridge} as its own process, the way {@code latchkey mcp} does: on
 * {@code <gateway url> <token>}, or on {@code --data-dir DIR} (its {@code gateway.json}, followed
 * across restarts of the app).
 */
public final class StdioBridgeLauncher {

    private StdioBridgeLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("--data-dir")) {
            StdioBridge.run(StdioBridge.endpoints(Path.of(args[1]), null), System.in, System.out);
        } else {
            StdioBridge.run(URI.create(args[0]), args[1], System.in, System.out);
        }
        System.exit(0);
    }
}
