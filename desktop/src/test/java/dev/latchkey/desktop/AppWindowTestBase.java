package dev.latchkey.desktop;

import dev.latchkey.qa.VirtualDisplay;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every test of the app's JCEF window shares: one virtual display per class, a data dir and
 * an {@link AppWindowHarness} per test, and every app process killed after each test.
 */
abstract class AppWindowTestBase {

    static VirtualDisplay display;

    @TempDir
    Path dataDir;

    AppWindowHarness apps;

    @BeforeAll
    static void startDisplay() throws Exception {
        display = VirtualDisplay.start();
    }

    @AfterAll
    static void stopDisplay() {
        if (display != null) {
            display.close();
        }
    }

    @BeforeEach
    void harness() {
        apps = new AppWindowHarness(display, dataDir);
    }

    @AfterEach
    void killApps() throws InterruptedException {
        apps.killApps();
    }
}
