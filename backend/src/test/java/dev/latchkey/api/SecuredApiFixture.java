package dev.latchkey.api;

import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What the API security tests share: a backend on an empty data directory for each test, and a client of its API. */
abstract class SecuredApiFixture {

    @TempDir
    Path dataDir;

    Backend backend;
    ApiClient client;

    @BeforeEach
    void start() {
        backend = Backend.start(AppConfig.of(dataDir));
        client = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        backend.close();
    }
}
