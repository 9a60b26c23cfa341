package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Latchkey started as a user starts it, each in a JVM of its own without a display, for the tests
 * of how a start ends ({@link SingleInstanceTest}, {@link StartProblemsTest}); {@link #killAll()}
 * kills every one still running, and the processes under it.
 */
final class AppProcesses {

    /** How long an app may take to print its first line (a loaded CI machine) before the test gives up. */
    static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final List<Process> started = new ArrayList<>();

    /** The app's java command line with {@code args}, to run as it is or under a wrapper (bwrap, setpriv). */
    static List<String> command(String classPath, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    Process start(String... args) throws IOException {
        return start(Map.of(), command(System.getProperty("java.class.path"), args));
    }

    /** Starts {@code command} without a DISPLAY unless {@code env} names one. */
    Process start(Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("DISPLAY");
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** The first line {@code app} prints, read with a deadline: an app that hangs fails the test instead. */
    static String firstLine(Process app) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return line.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            app.destroyForcibly();
            throw new AssertionError("the app printed nothing within " + START_LIMIT.toSeconds() + " s", e);
        }
    }

    /** Waits for {@code app} to exit on its own and answers its exit code. */
    static int exitCode(Process app) throws InterruptedException {
        assertThat(app.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS))
                .as("the app exited within " + START_LIMIT.toSeconds() + " s").isTrue();
        return app.exitValue();
    }

    static String stderr(Process app) throws IOException {
        return new String(app.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    void killAll() throws InterruptedException {
        for (Process process : started) {
            List<ProcessHandle> tree = process.descendants().toList();
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
