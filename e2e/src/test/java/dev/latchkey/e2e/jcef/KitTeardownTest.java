package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.latchkey.qa.Evidence;
import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.ProcessGroups;
import dev.latchkey.qa.pages.ConnectorsPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The kit's promise for a test that goes wrong: a failing test and one interrupted by its timeout
 * (run here through the JUnit launcher, as a QA engineer's build would run them) each leave their
 * evidence — their video among it, asked for with {@link LatchkeyExtension#video()} and playable —
 * and no process of their app is left afterwards: not even one that detached from the app's tree,
 * ignores SIGTERM and SIGHUP and would outlive the app's JVM, as a browser {@code xdg-open}
 * started does. Only the kill of the app's whole process group ends that one.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KitTeardownTest {

    static final List<ProcessHandle> PROCESSES = new CopyOnWriteArrayList<>();
    /** The app's process group of the failing test, and the detached process it left in it. */
    static volatile long group;
    static volatile long detached;
    static volatile boolean detachedLeftTheTree;
    /** Holds the {@code xdg-open} the app finds first on its PATH, and the detached process's pid file. */
    static Path bin;

    /** Not run by surefire (a nested class): only through the launcher below. */
    static class GoesWrong {

        @RegisterExtension
        final LatchkeyExtension latchkey = new LatchkeyExtension().video()
                .environment("PATH", () -> bin + ":" + System.getenv("PATH"));

        @Test
        void fails(WebDriver driver, LatchkeyApp app) throws Exception {
            ConnectorsPage.open(driver, app);
            // A link to a new window, clicked (Chromium lets only a user's gesture open one): the app
            // hands it to xdg-open, whose "browser" detaches.
            ((JavascriptExecutor) driver).executeScript("const a = document.createElement('a'); a.id = 'qa-away';"
                    + " a.href = 'https://detached.example.test/'; a.target = '_blank'; a.textContent = 'away';"
                    + " document.body.prepend(a);");
            driver.findElement(By.id("qa-away")).click();
            Path pidFile = bin.resolve("detached.pid");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the app never started xdg-open; its stderr: "
                            + Files.readString(app.logDir().resolve("app.err.log")));
                }
                Thread.sleep(100);
            }
            group = app.processes().get(0).pid();
            detached = Long.parseLong(Files.readString(pidFile).trim());
            awaitAlone(detached, app);
            PROCESSES.addAll(app.processes());
            throw new AssertionError("failed on purpose");
        }

        @Test
        @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void hangs(WebDriver driver, LatchkeyApp app) throws InterruptedException {
            ConnectorsPage.open(driver, app);
            PROCESSES.addAll(app.processes());
            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
        }

        /** Waits until the launcher script has exited, so the detached process is no descendant of the app. */
        private static void awaitAlone(long pid, LatchkeyApp app) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (app.processes().stream().anyMatch(p -> p.pid() == pid) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            detachedLeftTheTree = app.processes().stream().noneMatch(p -> p.pid() == pid)
                    && ProcessGroups.members(group).stream().anyMatch(p -> p.pid() == pid);
        }
    }

    @Test
    void a_failed_and_a_timed_out_test_leave_screenshots_dom_logs_a_video_and_no_process() throws Exception {
        bin = Files.createTempDirectory("latchkey-qa-bin-");
        // A system browser as many are: its launcher returns at once, the browser stays, in the
        // launcher's process group, deaf to SIGTERM, SIGHUP and a closed stdin.
        Path xdgOpen = bin.resolve("xdg-open");
        Files.writeString(xdgOpen, """
                #!/bin/sh
                sh -c 'trap "" TERM HUP INT; echo $$ > "$0"; exec sleep 600' "%s" </dev/null >/dev/null 2>&1 &
                exit 0
                """.formatted(bin.resolve("detached.pid")));
        Files.setPosixFilePermissions(xdgOpen, PosixFilePermissions.fromString("rwx------"));
        try {
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(GoesWrong.class)).build(), summary);

            assertThat(summary.getSummary().getTotalFailureCount()).isEqualTo(2);
            assertThat(PROCESSES).as("the app and CEF's helpers were seen").hasSizeGreaterThan(2);
            assertThat(PROCESSES).as("no process left").noneMatch(ProcessHandle::isAlive);
            assertThat(detached).as("the detached browser started").isPositive();
            assertThat(detachedLeftTheTree).as("the detached browser was no descendant of the app, only in its group").isTrue();
            assertThat(ended(detached)).as("the detached browser (pid %d) ended", detached).isTrue();
            assertThat(ProcessGroups.members(group)).as("nothing of the app's process group %d left", group).isEmpty();
            for (String test : List.of("fails", "hangs")) {
                Path folder = Evidence.folder("GoesWrong." + test);
                assertThat(Files.readString(folder.resolve("windows.txt"))).contains("\"Latchkey — Connectors\"");
                assertThat(Files.readString(folder.resolve("window-1.html"))).contains("data-testid=\"installed-list\"");
                assertThat(Files.size(folder.resolve("window-1.png"))).isGreaterThan(1000);
                assertThat(Files.readString(folder.resolve("app.out.log"))).contains("Latchkey is running in its window");
                assertThat(folder.resolve("app.err.log")).exists();
                assertThat(probe(folder.resolve("video.mp4"))).as("ffprobe of %s/video.mp4", folder)
                        .contains("codec_name=h264", "width=1280", "height=900").doesNotContain("nb_read_frames=0\n");
            }
            assertThat(Files.readString(Evidence.folder("GoesWrong.fails").resolve("failure.txt"))).contains("failed on purpose");
            assertThat(Files.readString(Evidence.folder("GoesWrong.hangs").resolve("failure.txt"))).contains("timed out");
        } finally {
            if (detached > 0) {
                ProcessHandle.of(detached).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** Gone, or a zombie (ended, not yet reaped by its new parent). */
    private static boolean ended(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return true;
        }
        String text = Files.readString(stat);
        return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
    }

    /** What ffprobe reads of the video's stream, every frame decoded (a file it cannot play fails here). */
    private static String probe(Path video) throws IOException, InterruptedException {
        assertThat(video).as("the video is kept with the evidence").exists();
        assertThat(Files.size(video)).isGreaterThan(0);
        List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "default=noprint_wrappers=1", video.toString()));
        Process ffprobe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(ffprobe.getInputStream().readAllBytes());
        assertThat(ffprobe.waitFor()).as("ffprobe: %s", out).isZero();
        assertThat(out).as("ffprobe says no error").doesNotContainIgnoringCase("error").contains("nb_read_frames=");
        return out + "\n";
    }
}
