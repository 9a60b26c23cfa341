package dev.latchkey.desktop;

import dev.latchkey.qa.JcefDriver;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.qa.VirtualDisplay;
import dev.latchkey.store.InstanceFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The app with its JCEF window, as a user starts it, for the window tests ({@link AppWindowPagesTest},
 * {@link AppWindowShutdownTest}): a JVM of its own on the test's {@link VirtualDisplay}, with the
 * test's data dir and a QA remote-debugging port that Selenium attaches to ({@link JcefDriver}).
 * {@link #killApps()} kills every app it started and CEF's processes under it.
 */
final class AppWindowHarness {

    /** One extraction of the natives for every test run of this module (target/ is rebuilt clean in CI). */
    static final Path JCEF_DIR = Path.of("target", "jcef").toAbsolutePath();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final VirtualDisplay display;
    private final Path dataDir;
    private final List<Process> started = new ArrayList<>();

    AppWindowHarness(VirtualDisplay display, Path dataDir) {
        this.display = display;
        this.dataDir = dataDir;
    }

    /** Kills every app started so far and the processes under it (CEF's helpers). */
    void killApps() throws InterruptedException {
        for (Process app : started) {
            List<ProcessHandle> tree = new ArrayList<>(app.descendants().toList());
            app.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }

    Process startApp(int debuggingPort, String... moreArgs) throws IOException {
        return startApp(debuggingPort, environment -> { }, moreArgs);
    }

    /** Starts the app on the test's display and waits until it says its window is open. */
    Process startApp(int debuggingPort, Consumer<Map<String, String>> environment, String... moreArgs)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--data-dir", dataDir.toString(), "--remote-debugging-port", Integer.toString(debuggingPort)));
        command.addAll(List.of(moreArgs));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("DISPLAY", display.display());
        builder.environment().put(LaunchOptions.JCEF_DIR_ENV, JCEF_DIR.toString());
        environment.accept(builder.environment());
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

    /** Waits a minute for the app to exit; if it does not, the failure shows its threads and stderr. */
    void awaitExit(Process app, String what) throws Exception {
        if (app.waitFor(60, TimeUnit.SECONDS)) {
            return;
        }
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(app.pid()), "Thread.print").redirectErrorStream(true).start();
        String threads = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError(what + ": still running after 60 s; stderr:\n" + stderr() + "\nthreads:\n" + threads);
    }

    private String stderr() throws IOException {
        Path file = dataDir.resolve("stderr.txt");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** The URLs of the pages the app's CEF shows, as its DevTools port lists them. */
    static List<String> pageUrls(int debuggingPort) throws IOException, InterruptedException {
        HttpResponse<String> list = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + debuggingPort + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> urls = new ArrayList<>();
        for (JsonNode target : JSON.readTree(list.body())) {
            if (target.path("type").asText().equals("page")) {
                urls.add(target.path("url").asText());
            }
        }
        return urls;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void awaitTrue(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.holds()) {
            assertThat(System.nanoTime() < deadline).as("within 60 s: " + what).isTrue();
            Thread.sleep(200);
        }
    }

    /** The app's API, called as a program does: with the API secret of its {@code instance.json}. */
    record AppApi(InstanceFile instance) {

        AppApi(Path dataDir) {
            this(InstanceFile.read(dataDir).orElseThrow(() -> new AssertionError("no instance.json in " + dataDir)));
        }

        JsonNode send(String method, String path, String json, int expectedStatus) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
                    .header("Authorization", "Bearer " + instance.apiToken())
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
            return JSON.readTree(response.body());
        }
    }

    static List<ProcessHandle> processTree(Process app) {
        List<ProcessHandle> tree = new ArrayList<>(List.of(app.toHandle()));
        tree.addAll(app.descendants().toList());
        return tree;
    }

    static String commandLineOf(ProcessHandle process) {
        try {
            return commandLine(process);
        } catch (IOException e) {
            return ""; // it has just exited
        }
    }

    static String commandLine(ProcessHandle process) throws IOException {
        Path file = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).replace('\0', ' ') : "";
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
