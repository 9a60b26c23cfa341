package dev.latchkey.gateway;

import java.net.URI;

/** Runs {@link StdioBridge} as its own process, the way {@code latchkey mcp} does: {@code <gateway url> <token>}. */
public final class StdioBridgeLauncher {

    private StdioBridgeLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        StdioBridge.run(URI.create(args[0]), args[1], System.in, System.out);
        System.exit(0);
    }
}
