package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The app with its JCEF window, as a user starts it: a JVM of its own on a display of the test's
 * own (Xvfb with a window manager). Selenium attaches to the window through the QA
 * remote-debugging port. A hung app fails at the timeout; every process is killed after each test.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AppWindowTest {

    /** One extraction of the natives for every test run of this module (target/ is rebuilt clean in CI). */
    static final Path JCEF_DIR = Path.of("target", "jcef").toAbsolutePath();

    private static VirtualDisplay display;

    @TempDir
    Path dataDir;

    private final List<Process> started = new ArrayList<>();

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

    @AfterEach
    void killApps() throws InterruptedException {
        for (Process app : started) {
            List<ProcessHandle> tree = new ArrayList<>(app.descendants().toList());
            app.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void the_window_shows_the_connectors_page_signed_in_and_no_command_line_carries_the_launch_url() throws Exception {
        int debuggingPort = freePort();
        Process app = startApp(debuggingPort);

        ChromeDriver page = JcefSelenium.attach(debuggingPort);
        try {
            new WebDriverWait(page, Duration.ofSeconds(60)).until(driver ->
                    "live".equals(driver.findElement(By.id("live-state")).getAttribute("data-state")));
            assertThat(page.getTitle()).isEqualTo("Latchkey — Connectors");
            assertThat(page.findElement(By.id("result-count")).getText()).matches("\\d+ connectors");
            assertThat(page.findElement(By.id("signin-notice")).isDisplayed()).isFalse();
            String pageUrl = page.getCurrentUrl();
            assertThat(pageUrl).matches("http://127\\.0\\.0\\.1:\\d+/");
            assertThat(display.windowTitles()).contains(AppWindow.TITLE);
            // The page's origin appears on no command line of the app or of CEF's helpers, so neither
            // does a launch URL with its one-time secret.
            String origin = pageUrl.substring(0, pageUrl.length() - 1);
            for (ProcessHandle process : processTree(app)) {
                assertThat(commandLine(process)).as("command line of pid " + process.pid()).doesNotContain(origin);
            }
        } finally {
            JcefSelenium.detach(page);
        }
    }

    @Test
    void closing_the_window_stops_latchkey_and_leaves_no_browser_process() throws Exception {
        Process app = startApp(freePort());
        List<ProcessHandle> tree = processTree(app);
        assertThat(tree).as("CEF's helper processes").anySatisfy(process ->
                assertThat(commandLine(process)).contains("jcef_helper"));

        display.closeWindow(AppWindow.TITLE);

        assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("Latchkey exited after its window closed").isTrue();
        assertThat(app.exitValue()).isZero();
        for (ProcessHandle process : tree) {
            assertThat(process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).get().isAlive())
                    .as("pid " + process.pid() + " still alive after Latchkey exited").isFalse();
        }
    }

    /** Starts the app on the test's display and waits until it says its window is open. */
    private Process startApp(int debuggingPort) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--data-dir", dataDir.toString(), "--remote-debugging-port", Integer.toString(debuggingPort));
        builder.environment().put("DISPLAY", display.display());
        builder.environment().put(LaunchOptions.JCEF_DIR_ENV, JCEF_DIR.toString());
        builder.redirectError(dataDir.resolve("stderr.txt").toFile());
        Process app = builder.start();
        started.add(app);
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); ; line = out.readLine()) {
            assertThat(line).as("the app's output ended before its window opened; stderr:\n" + stderr()).isNotNull();
            if (line.startsWith("Latchkey is running in its window")) {
                return app;
            }
        }
    }

    private String stderr() throws IOException {
        Path file = dataDir.resolve("stderr.txt");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static List<ProcessHandle> processTree(Process app) {
        List<ProcessHandle> tree = new ArrayList<>(List.of(app.toHandle()));
        tree.addAll(app.descendants().toList());
        return tree;
    }

    private static String commandLine(ProcessHandle process) throws IOException {
        Path file = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).replace('\0', ' ') : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
