package dev.latchkey.desktop;

import static dev.latchkey.desktop.AppProcesses.exitCode;
import static dev.latchkey.desktop.AppProcesses.firstLine;
import static dev.latchkey.desktop.AppProcesses.stderr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.qa.VirtualDisplay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts that cannot go on end with one sentence and exit 1, leaving what is stored as it was: a
 * read-only data directory, a full one, and a library the window's browser needs that cannot be
 * loaded. The file system's part is real: bubblewrap mounts the data directory read-only, or a
 * small tmpfs filled to the last byte, or hides the library behind an empty file.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StartProblemsTest {

    @TempDir
    Path dataDir;

    private final AppProcesses apps = new AppProcesses();

    @BeforeEach
    void needsBubblewrap() {
        assertThat(Stream.of("/usr/bin/bwrap", "/bin/bwrap").anyMatch(path -> Files.isExecutable(Path.of(path))))
                .as("these tests mount with bubblewrap; install it: apt-get install -y bubblewrap").isTrue();
    }

    @AfterEach
    void killApps() throws InterruptedException {
        apps.killAll();
    }

    @Test
    void a_read_only_data_dir_stops_the_start_with_one_sentence_and_changes_nothing() throws Exception {
        startAndStopOnce();
        Map<String, String> before = hashes(dataDir);

        Process app = apps.start(Map.of(), bwrap(List.of("--ro-bind", dataDir.toString(), dataDir.toString()),
                "--headless", "--data-dir", dataDir.toString()));

        assertThat(exitCode(app)).isEqualTo(1);
        assertThat(stderr(app)).isEqualTo("latchkey: cannot write to the data directory " + dataDir
                + " (read-only file system): make it writable for you, or start with --data-dir pointing elsewhere;"
                + " nothing stored in it was changed\n");
        assertThat(hashes(dataDir)).isEqualTo(before);
    }

    @Test
    void a_full_data_dir_stops_the_start_with_one_sentence_and_changes_nothing() throws Exception {
        startAndStopOnce();
        // In bubblewrap's own mount namespace: a 16 MB tmpfs holding a copy of the data dir, filled
        // to the last byte; the app starts on the copy, and the copy's hashes are printed before and after.
        Path full = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-full"));
        Path sums = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-sums"));
        Path copy = full.resolve("data");
        String hash = "(cd " + copy + " && find . -type f ! -name latchkey.lock | sort | xargs sha256sum)";
        String script = "cp -a " + dataDir + " " + copy + " && " + hash + " > " + sums + "/before"
                + " && (dd if=/dev/zero of=" + full + "/filler bs=4096 2>/dev/null; true) && \"$@\"; code=$?; "
                + hash + " > " + sums + "/after; diff " + sums + "/before " + sums + "/after >&2 || code=99; exit $code";
        List<String> command = new ArrayList<>(List.of("bwrap", "--dev-bind", "/", "/", "--size", Long.toString(16 << 20),
                "--tmpfs", full.toString(), "sh", "-c", script, "sh"));
        command.addAll(AppProcesses.command(System.getProperty("java.class.path"), "--headless", "--data-dir", copy.toString()));

        Process app = apps.start(Map.of(), command);

        int code = exitCode(app);
        String err = stderr(app);
        assertThat(code).as("the app's exit code (99: the stored files changed); stderr:\n" + err).isEqualTo(1);
        assertThat(err).matches("latchkey: the data directory " + copy + " is full \\(\\d+ KB free, at least 16 MB needed\\):"
                + " free some space and start again; nothing stored in it was changed\n");
    }

    @Test
    void a_library_the_browser_cannot_load_is_named_with_its_debian_package() throws Exception {
        Path libnss = Path.of("/usr/lib/x86_64-linux-gnu/libnss3.so");
        assertThat(libnss).as("Debian's libnss3, which CEF links against").isRegularFile();
        try (VirtualDisplay display = VirtualDisplay.start()) {
            // An empty file where the library is: the dynamic loader finds it and cannot load it.
            Process app = apps.start(Map.of("DISPLAY", display.display(),
                    LaunchOptions.JCEF_DIR_ENV, AppWindowHarness.JCEF_DIR.toString()),
                    bwrap(List.of("--ro-bind", "/dev/null", libnss.toString()), "--data-dir", dataDir.toString()));

            assertThat(exitCode(app)).isEqualTo(1);
            assertThat(stderr(app)).contains("latchkey: the window cannot start: libnss3.so is missing or broken (")
                    .contains("); install it with: apt-get install -y libnss3, or start with --headless\n");
        }
    }

    /** The app headless on the test's data dir until it serves, then stopped as a user stops it (SIGTERM). */
    private void startAndStopOnce() throws Exception {
        Process app = apps.start("--headless", "--data-dir", dataDir.toString());
        assertThat(firstLine(app)).startsWith("Latchkey is running. Open ");
        app.destroy();
        assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(dataDir.resolve("latchkey.mv.db")).as("the database the first start made").exists();
    }

    private static List<String> bwrap(List<String> mounts, String... args) {
        List<String> command = new ArrayList<>(List.of("bwrap", "--dev-bind", "/", "/"));
        command.addAll(mounts);
        command.addAll(AppProcesses.command(System.getProperty("java.class.path"), args));
        return command;
    }

    /** SHA-256 of every file under {@code dir} but the lock (which holds the pid of its last holder). */
    private static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (!file.getFileName().toString().equals("latchkey.lock")) {
                    hashes.put(dir.relativize(file).toString(), sha256(file));
                }
            }
        }
        return hashes;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
