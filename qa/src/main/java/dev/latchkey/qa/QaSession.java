package dev.latchkey.qa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One test's app, driver and (when asked) video, opened in the order a user's machine has them
 * and closed in reverse: 1. display, 2. data dir with the test's files, 3. app, 4. driver,
 * 5. recorder. Whatever was opened is closed again when a later step fails.
 */
final class QaSession {

    private final String test;
    private final Path root;
    private final String display;
    private LatchkeyApp app;
    private ChromeDriver driver;
    private Recorder recorder;

    private QaSession(String test, Path root, String display) {
        this.test = test;
        this.root = root;
        this.display = display;
    }

    static QaSession open(String test, List<String> args, Map<String, String> environment,
                          List<LatchkeyExtension.DataDirSetup> setups, boolean video) throws Exception {
        String display = Displays.current();
        Evidence.clear(test);
        Path root = Files.createTempDirectory("latchkey-qa-");
        QaSession session = new QaSession(test, root, display);
        try {
            Path dataDir = Files.createDirectory(root.resolve("data"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            for (LatchkeyExtension.DataDirSetup setup : setups) {
                setup.prepare(dataDir);
            }
            if (video) {
                session.recorder = Recorder.start(display, Evidence.folder(test).resolve("video.mp4"));
            }
            AppCommand command = AppCommand.detect();
            session.app = LatchkeyApp.start(command, display, dataDir, args, environment);
            session.driver = JcefDriver.attach(session.app.debuggingPort(), session.app.logDir().resolve("chromedriver.log"));
            return session;
        } catch (Exception | Error e) {
            session.close(e);
            throw e;
        }
    }

    LatchkeyApp app() {
        return app;
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves the evidence of {@code failure} (when not null), then ends everything; a process left over is an error. */
    void close(Throwable failure) throws IOException, InterruptedException {
        if (failure != null) {
            Path folder = Evidence.folder(test);
            Evidence.save(folder, failure, driver, app, display);
            System.err.println("[latchkey-qa] " + test + " failed; evidence in " + folder);
        }
        if (driver != null) {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                // the app may already be gone; ChromeDriver itself is ended by quit either way
            }
        }
        if (recorder != null) {
            recorder.stop(failure != null);
        }
        boolean leftOver = false;
        if (app != null) {
            app.close();
            leftOver = app.running();
        }
        delete(root);
        if (leftOver && failure == null) {
            throw new IllegalStateException("a process of the app outlived its kill: " + test);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
