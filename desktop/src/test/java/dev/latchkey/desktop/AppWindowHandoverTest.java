package dev.latchkey.desktop;

import static dev.latchkey.desktop.AppWindowHarness.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A second start while the app shows its window, as from the desktop entry: the running app
 * brings its window to the front and the second start exits 0; the window stays, one of it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AppWindowHandoverTest extends AppWindowTestBase {

    @Test
    void a_second_start_brings_the_window_to_the_front_and_exits_0() throws Exception {
        Process app = apps.startApp(freePort());

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--data-dir", dataDir.toString()));
        ProcessBuilder second = new ProcessBuilder(command);
        second.environment().put("DISPLAY", display.display());
        Process started = second.start();

        assertThat(started.waitFor(60, TimeUnit.SECONDS)).as("the second start exited").isTrue();
        assertThat(new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("Latchkey is already running; brought its window to the front.\n");
        assertThat(started.exitValue()).isZero();
        assertThat(app.isAlive()).as("the first app runs on").isTrue();
        assertThat(display.windowTitles()).as("one app window").containsOnlyOnce(AppWindow.TITLE);
    }
}
