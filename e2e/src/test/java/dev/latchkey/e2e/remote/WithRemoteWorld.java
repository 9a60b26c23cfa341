package dev.latchkey.e2e.remote;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the remote page tests share: a {@link RemoteWorld} (the app, its authorization server and
 * MCP server, the page's browser) started on a fresh data dir and browser profile before each
 * test and closed after it.
 */
abstract class WithRemoteWorld {

    @TempDir
    Path dataDir;
    @TempDir
    Path profileDir;
    RemoteWorld world;

    @BeforeEach
    void startWorld() throws Exception {
        world = new RemoteWorld(dataDir, profileDir, Map.of());
    }

    @AfterEach
    void stopWorld() {
        if (world != null) {
            world.close();
        }
    }
}
