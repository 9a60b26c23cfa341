package dev.latchkey.qa;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An X display of the test's own: Xvfb on a free display number with openbox as its window
 * manager, so a test can close a window the way a user's close button does ({@code wmctrl -c}).
 * Independent of the DISPLAY the tests run under; both run in process groups of their own
 * ({@link ProcessGroups}), killed by {@link #close()} or, if the test JVM is stopped, by its
 * shutdown hook.
 */
public final class VirtualDisplay implements AutoCloseable {

    private final ProcessGroups.Group xvfb;
    private final ProcessGroups.Group windowManager;
    private final String display;

    private VirtualDisplay(ProcessGroups.Group xvfb, ProcessGroups.Group windowManager, String display) {
        this.xvfb = xvfb;
        this.windowManager = windowManager;
        this.display = display;
    }

    /**
     * Starts Xvfb (1280x900, 24 bit) and openbox on it, and returns once the window manager answers.
     * A display whose window manager does not come up (seen once on a machine shared with other
     * test runs) is killed and another one started, three times at most.
     */
    public static VirtualDisplay start() throws IOException, InterruptedException {
        for (String tool : List.of("Xvfb", "openbox", "wmctrl")) {
            if (!onPath(tool)) {
                throw new IllegalStateException("the JCEF window tests need " + tool
                        + "; install it: apt-get install -y xvfb openbox wmctrl (./latchkey test does)");
            }
        }
        List<String> failures = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            VirtualDisplay started = attempt(failures);
            if (started != null) {
                return started;
            }
        }
        throw new IllegalStateException("no virtual display came up: " + String.join("; ", failures));
    }

    private static VirtualDisplay attempt(List<String> failures) throws IOException, InterruptedException {
        // -displayfd: Xvfb picks a free display number and writes it to standard output when ready.
        ProcessGroups.Group xvfb = ProcessGroups.start(new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0",
                "1280x900x24", "-nolisten", "tcp").redirectError(ProcessBuilder.Redirect.DISCARD));
        String number = new BufferedReader(new InputStreamReader(xvfb.process().getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (number == null) {
            xvfb.kill();
            failures.add("Xvfb exited without naming its display");
            return null;
        }
        String display = ":" + number.trim();
        ProcessBuilder openbox = new ProcessBuilder("openbox", "--sm-disable")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        openbox.environment().put("DISPLAY", display);
        VirtualDisplay started = new VirtualDisplay(xvfb, ProcessGroups.start(openbox), display);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!started.wmctrl("-m").ok()) {
            if (System.nanoTime() > deadline || !started.windowManager.process().isAlive()) {
                failures.add("openbox did not come up on " + display + (started.windowManager.process().isAlive()
                        ? " within 20 s" : " (it exited " + started.windowManager.process().exitValue() + ")"));
                started.close();
                return null;
            }
            Thread.sleep(200);
        }
        return started;
    }

    /** The DISPLAY value of this display, e.g. {@code :3}. */
    public String display() {
        return display;
    }

    /** The titles of the top-level windows the window manager knows. */
    public List<String> windowTitles() throws IOException, InterruptedException {
        return windows().stream().map(Window::title).toList();
    }

    /**
     * Asks the window titled exactly {@code title} to close, as its close button does. The title
     * is matched here and the window closed by its id, so no title travels through a command line.
     */
    public void closeWindow(String title) throws IOException, InterruptedException {
        // The app may say its window is open before the window manager has it on its list.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Result result = new Result(false, "no window titled \"" + title + "\"");
        while (System.nanoTime() < deadline) {
            Window window = windows().stream().filter(w -> w.title().equals(title)).findFirst().orElse(null);
            if (window != null && (result = wmctrl("-i", "-c", window.id())).ok()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("wmctrl could not close \"" + title + "\" in 30 s; windows: "
                + windowTitles() + " " + result.output());
    }

    private record Window(String id, String title) {
    }

    private List<Window> windows() throws IOException, InterruptedException {
        List<Window> windows = new ArrayList<>();
        // -u: titles in UTF-8 whatever the locale (a sign-in window's title has an em dash).
        for (String line : wmctrl("-u", "-l").output().split("\n")) {
            // "0x0040002c  0 host Title with spaces"
            String[] columns = line.trim().split("\\s+", 4);
            if (columns.length == 4) {
                windows.add(new Window(columns[0], columns[3]));
            }
        }
        return windows;
    }

    /** A screenshot of the whole display, written as PNG. */
    public void screenshot(Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Process importer = command("import", "-window", "root", png.toString()).start();
        if (!importer.waitFor(30, TimeUnit.SECONDS) || importer.exitValue() != 0) {
            importer.destroyForcibly();
            throw new IllegalStateException("import could not take a screenshot of " + display);
        }
    }

    @Override
    public void close() {
        windowManager.kill();
        xvfb.kill();
    }

    private record Result(boolean ok, String output) {
    }

    private Result wmctrl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wmctrl"));
        command.addAll(List.of(args));
        Process process = command(command.toArray(String[]::new)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(false, "wmctrl did not answer within 10 s");
        }
        return new Result(process.exitValue() == 0, output);
    }

    private ProcessBuilder command(String... command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("DISPLAY", display);
        return builder;
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
