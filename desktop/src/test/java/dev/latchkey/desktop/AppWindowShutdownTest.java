package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.latchkey.desktop.AppWindowHarness.commandLine;
import static dev.latchkey.desktop.AppWindowHarness.freePort;
import static dev.latchkey.desktop.AppWindowHarness.processTree;

import dev.latchkey.store.InstanceFile;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the app with its JCEF window stops, started as a user starts it ({@link AppWindowHarness}):
 * when its window is closed and on SIGTERM, leaving no browser process behind. A hung app fails at
 * the timeout; every process is killed after each test.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AppWindowShutdownTest extends AppWindowTestBase {

    @Test
    void closing_the_window_stops_latchkey_and_leaves_no_browser_process() throws Exception {
        Process app = apps.startApp(freePort());
        List<ProcessHandle> tree = processTree(app);
        assertThat(tree).as("CEF's helper processes").anySatisfy(process ->
                assertThat(commandLine(process)).contains("jcef_helper"));

        display.closeWindow(AppWindow.TITLE);

        apps.awaitExit(app, "Latchkey exited after its window closed");
        assertThat(app.exitValue()).isZero();
        for (ProcessHandle process : tree) {
            assertThat(process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).get().isAlive())
                    .as("pid " + process.pid() + " still alive after Latchkey exited").isFalse();
        }
    }

    @Test
    void sigterm_stops_latchkey_through_its_shutdown_and_leaves_no_browser_process() throws Exception {
        Process app = apps.startApp(freePort());
        List<ProcessHandle> tree = processTree(app);
        assertThat(dataDir.resolve(InstanceFile.NAME)).exists();

        app.destroy(); // SIGTERM, as a logout, systemd or kill sends it

        apps.awaitExit(app, "Latchkey exited on SIGTERM");
        assertThat(app.exitValue()).as("the JVM's exit code for SIGTERM").isEqualTo(143);
        assertThat(dataDir.resolve(InstanceFile.NAME)).as("removed by the backend's shutdown hook").doesNotExist();
        for (ProcessHandle process : tree) {
            assertThat(process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).get().isAlive())
                    .as("pid " + process.pid() + " still alive after Latchkey exited").isFalse();
        }
    }
}
