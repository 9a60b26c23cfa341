package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.latchkey.qa.AppApi;
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
import java.util.stream.Stream;
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
 * started does (only the kill of the app's whole process group ends that one); nor one that
 * detached from an MCP server run without a sandbox (no bubblewrap on the app's PATH), in the
 * server's own group, which only the kill of each descendant's group ends (the app's watchdog
 * for server groups is in the app's group and dies with it).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KitTeardownTest {

    static final List<ProcessHandle> PROCESSES = new CopyOnWriteArrayList<>();
    /** The app's process group of the failing test, and the detached process it left in it. */
    static volatile long group;
    static volatile long detached;
    static volatile boolean detachedLeftTheTree;
    /** What detached from the server, and whether it was in the server's group, not the app's, and in no tree. */
    static volatile long serverDetached;
    static volatile boolean serverDetachedInItsGroup;
    /** The app's PATH: every program of the system but bwrap, and an {@code xdg-open} whose "browser" detaches. */
    static Path bin;

    /** Not run by surefire (a nested class): only through the launcher below. */
    static class GoesWrong {

        @RegisterExtension
        final LatchkeyExtension latchkey = new LatchkeyExtension().video()
                .environment("PATH", () -> bin.toString()).dataDir(KitTeardownTest::catalog);

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

            AppApi.Answer installed = app.api().send("POST", "/api/installs",
                    "{\"catalogName\": \"qa__detaching\", \"auth\": \"none\", \"userConfig\": {}}");
            String id = installed.body().path("id").asText();
            while (!app.api().install(id).path("status").asText().equals("running")) {
                if (System.nanoTime() > deadline + TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("the detaching server is not running: " + app.api().install(id));
                }
                Thread.sleep(200);
            }
            Path serverPidFile = bin.resolve("server-detached.pid");
            while (!Files.exists(serverPidFile) || Files.readString(serverPidFile).isBlank()) {
                Thread.sleep(50);
            }
            serverDetached = Long.parseLong(Files.readString(serverPidFile).trim());
            long serverGroup = ProcessGroups.groupOf(serverDetached).orElse(-1L);
            serverDetachedInItsGroup = serverGroup != group && app.processes().stream().noneMatch(p -> p.pid() == serverDetached)
                    && app.processes().stream().anyMatch(p -> p.pid() == serverGroup);
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

    /** A server run as {@code sh}: it starts a process that detaches (into the server's group), then is server-everything. */
    static void catalog(Path dataDir) throws IOException {
        Files.createDirectories(dataDir.resolve("catalog"));
        // ( … & ): the subshell that started it exits, so it is no child of the server, only in its group.
        String script = "(sh -c 'trap \"\" TERM HUP INT; echo $$ > \"$0\"; exec sleep 600' '" + bin.resolve("server-detached.pid")
                + "' </dev/null >/dev/null 2>&1 &); exec node '" + dev.latchkey.NpmTools.everything() + "' stdio";
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("name", "qa__detaching").put("display_name", "Detaching (QA)").put("description", "Leaves a process behind.");
        var server = manifest.putObject("server").put("type", "local").put("command", "sh");
        server.putArray("args").add("-c").add(script);
        server.putObject("env");
        manifest.putObject("user_config");
        manifest.putObject("archestra_config").putObject("oauth").putNull("provider").put("required", false);
        Files.writeString(dataDir.resolve("catalog/qa__detaching.json"), manifest.toString());
    }

    /** Every program of the system on a PATH of one folder, bwrap left out (so servers run unsandboxed). */
    private static Path systemWithoutBubblewrap() throws IOException {
        Path farm = Files.createTempDirectory("latchkey-qa-bin-");
        for (String dir : List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            if (!Files.isDirectory(Path.of(dir))) {
                continue;
            }
            try (var programs = Files.list(Path.of(dir))) {
                for (Path program : programs.toList()) {
                    Path link = farm.resolve(program.getFileName());
                    if (!program.getFileName().toString().equals("bwrap") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, program);
                    }
                }
            }
        }
        return farm;
    }

    @Test
    void a_failed_and_a_timed_out_test_leave_screenshots_dom_logs_a_video_and_no_process() throws Exception {
        assertThat(Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "ffprobe"))))
                .as("the video is checked with ffprobe: apt-get install -y ffmpeg (./latchkey test does)").isTrue();
        bin = systemWithoutBubblewrap();
        Files.deleteIfExists(bin.resolve("xdg-open"));
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
            assertThat(serverDetachedInItsGroup).as("what detached from the server was in the server's group, in no tree").isTrue();
            assertThat(ended(serverDetached)).as("what detached from the server (pid %d) ended", serverDetached).isTrue();
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
            for (long pid : List.of(detached, serverDetached)) {
                if (pid > 0) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            try (var files = Files.walk(bin)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
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
