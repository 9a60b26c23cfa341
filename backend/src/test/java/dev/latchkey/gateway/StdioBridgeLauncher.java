package dev.latchkey.gateway;

import java.net.URI;
import java.nio.file.Path;

/**
 * Runs {@link StdioBridge} as its own process, the way {@code latchkey mcp} does: on
 * {@code <gateway url> <token>}, or on {@code --data-dir DIR} (its {@code gateway.json}, followed
 * across restarts of the app, through {@link BridgeCommand} with {@code LATCHKEY_CLIENT_TOKEN} when set).
 */
public final class StdioBridgeLauncher {

    private StdioBridgeLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("--data-dir")) {
            String token = System.getenv("LATCHKEY_CLIENT_TOKEN");
            System.exit(BridgeCommand.run(Path.of(args[1]), token == null || token.isBlank() ? null : token,
                    System.in, System.out, System.err));
        }
        StdioBridge.run(URI.create(args[0]), args[1], System.in, System.out);
        System.exit(0);
    }
}
