package dev.latchkey.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the whole-system OAuth tests share: an {@link OAuthWorld} (the app, the real proxy, the
 * authorization servers) started on a fresh data dir before each test and closed after it, and a
 * {@link Store} reading that data dir's database.
 */
abstract class WithOAuthWorld {

    @TempDir
    Path dataDir;
    OAuthWorld world;
    Store store;

    @BeforeEach
    void startWorld() throws Exception {
        world = new OAuthWorld(dataDir, false).start();
        store = new Store(dataDir);
    }

    @AfterEach
    void stopWorld() {
        world.close();
    }
}
