package dev.latchkey.qa;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What a failing test leaves behind, in {@code target/qa-evidence/<test>/} (or under
 * {@value #DIR_PROPERTY}): {@code failure.txt} (the exception), for every window of the app's CEF
 * (the Connectors page, each login window) {@code window-N.png} and {@code window-N.html} with
 * its URL and title in {@code windows.txt}, {@code display.png} of the whole X display when
 * ImageMagick's {@code import} is there, the app's {@code app.out.log} and {@code app.err.log},
 * ChromeDriver's {@code chromedriver.log}, and the MCP servers' logs ({@code <data dir>/logs/})
 * under {@code server-logs/}.
 * Each part is taken on its own: one that cannot be had is named in {@code missing.txt}, and the others are still saved.
 */
public final class Evidence {

    public static final String DIR_PROPERTY = "latchkey.qa.evidenceDir";

    private Evidence() {
    }

    /** The folder a test's evidence goes to: {@code test} made safe as a file name. */
    public static Path folder(String test) {
        return Path.of(System.getProperty(DIR_PROPERTY, "target/qa-evidence")).toAbsolutePath()
                .resolve(test.replaceAll("[^A-Za-z0-9._-]+", "_"));
    }

    /**
     * Empties the folder of {@code test} before it runs: a failure's evidence is of that run only,
     * never mixed with an earlier run's (a video or window left from it).
     */
    static void clear(String test) throws IOException {
        Path dir = folder(test);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** Saves everything there is of a failed test into {@code dir}. */
    static void save(Path dir, Throwable failure, ChromeDriver driver, LatchkeyApp app, String display) throws IOException {
        Files.createDirectories(dir);
        List<String> missing = new ArrayList<>();
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        Files.writeString(dir.resolve("failure.txt"), trace.toString());
        if (driver != null) {
            windows(dir, driver, missing);
        }
        if (VirtualDisplay.onPath("import")) {
            attempt(missing, "display.png", () -> {
                Process importer = new ProcessBuilder("import", "-display", display, "-window", "root",
                        dir.resolve("display.png").toString()).redirectErrorStream(true).start();
                importer.getInputStream().readAllBytes();
                importer.waitFor();
            });
        } else {
            missing.add("display.png: ImageMagick's import is not installed (apt-get install -y imagemagick)");
        }
        if (app != null) {
            for (String log : List.of("app.out.log", "app.err.log", "chromedriver.log")) {
                attempt(missing, log, () -> Files.copy(app.logDir().resolve(log), dir.resolve(log), StandardCopyOption.REPLACE_EXISTING));
            }
            Path logs = app.dataDir().resolve("logs");
            if (Files.isDirectory(logs)) {
                Files.createDirectories(dir.resolve("server-logs"));
                try (Stream<Path> files = Files.list(logs)) {
                    for (Path file : files.toList()) {
                        attempt(missing, "server-logs/" + file.getFileName(), () -> Files.copy(file,
                                dir.resolve("server-logs").resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING));
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            Files.write(dir.resolve("missing.txt"), missing);
        }
    }

    /** A screenshot, the DOM, the URL and the title of every window handle; the driver is left on the window it was on. */
    private static void windows(Path dir, ChromeDriver driver, List<String> missing) throws IOException {
        List<String> lines = new ArrayList<>();
        String current = null;
        try {
            current = driver.getWindowHandle();
        } catch (RuntimeException e) {
            // the window the driver was on has closed; it is left on none
        }
        List<String> handles;
        try {
            handles = List.copyOf(driver.getWindowHandles());
        } catch (RuntimeException e) {
            missing.add("windows: the driver could not list them: " + e.getMessage());
            return;
        }
        int n = 0;
        for (String handle : handles) {
            int index = ++n;
            attempt(missing, "window-" + index, () -> {
                WebDriver window = driver.switchTo().window(handle);
                lines.add("window-" + index + "  " + window.getCurrentUrl() + "  \"" + window.getTitle() + "\"");
                Files.writeString(dir.resolve("window-" + index + ".html"), window.getPageSource(), StandardCharsets.UTF_8);
                Files.write(dir.resolve("window-" + index + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            });
        }
        Files.write(dir.resolve("windows.txt"), lines);
        if (current != null) {
            String back = current;
            attempt(missing, "switching back", () -> driver.switchTo().window(back));
        }
    }

    private interface Part {
        void take() throws Exception;
    }

    private static void attempt(List<String> missing, String what, Part part) {
        try {
            part.take();
        } catch (Exception e) {
            missing.add(what + ": " + e);
        }
    }
}
