package dev.latchkey.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One running Latchkey with its JCEF window: started by {@link #start} in a process group of its
 * own on a data dir of the test's, with the QA switch {@code --remote-debugging-port} on a free
 * port; its standard output and error go to {@code app.out.log} and {@code app.err.log} beside the
 * data dir. {@link #close()} kills the app and everything under it.
 */
public final class LatchkeyApp implements AutoCloseable {

    /** What the app prints once its window is open (desktop {@code Main}). */
    static final String READY_LINE = "Latchkey is running in its window";
    private static final Duration START_LIMIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProcessGroups.Group group;
    private final Path dataDir;
    private final Path logDir;
    private final int debuggingPort;
    private final URI apiBase;
    private final String apiToken;

    private LatchkeyApp(ProcessGroups.Group group, Path dataDir, Path logDir, int debuggingPort, URI apiBase, String apiToken) {
        this.group = group;
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.debuggingPort = debuggingPort;
        this.apiBase = apiBase;
        this.apiToken = apiToken;
    }

    /**
     * Starts the app on {@code display} with {@code --data-dir dataDir --remote-debugging-port N}
     * and {@code args}, and returns once it says its window is open and its {@code instance.json}
     * names its port and API secret (within three minutes: the first start
     * extracts the JCEF natives).
     */
    public static LatchkeyApp start(AppCommand app, String display, Path dataDir, List<String> args,
                                    Map<String, String> environment) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Path logDir = dataDir.resolveSibling(dataDir.getFileName() + "-logs");
        Files.createDirectories(logDir);
        int debuggingPort = freePort();
        List<String> command = new ArrayList<>(app.command());
        command.addAll(List.of("--data-dir", dataDir.toString(), "--remote-debugging-port", Integer.toString(debuggingPort)));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(logDir.resolve("app.out.log").toFile())
                .redirectError(logDir.resolve("app.err.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("DISPLAY", display);
        // As ./latchkey sets them: CEF's font and D-Bus settings must be there before its threads run.
        builder.environment().putIfAbsent("FC_FONTATIONS", "1");
        builder.environment().put("DBUS_SESSION_BUS_ADDRESS", "disabled:");
        // What "Connect a client" writes runs $LATCHKEY_LAUNCHER mcp: this same app (an installed launcher sets its own).
        builder.environment().put("LATCHKEY_LAUNCHER", launcher(app, logDir).toString());
        builder.environment().putAll(app.environment());
        builder.environment().putAll(environment);
        ProcessGroups.Group group = ProcessGroups.start(builder);
        try {
            awaitReady(group, logDir, app);
            JsonNode instance = JSON.readTree(dataDir.resolve("instance.json").toFile());
            URI apiBase = URI.create("http://127.0.0.1:" + instance.path("port").asInt());
            return new LatchkeyApp(group, dataDir, logDir, debuggingPort, apiBase, instance.path("apiToken").asText());
        } catch (IOException | RuntimeException | InterruptedException e) {
            group.kill();
            throw e;
        }
    }

    private static void awaitReady(ProcessGroups.Group group, Path logDir, AppCommand app)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        Path out = logDir.resolve("app.out.log");
        while (!Files.readString(out).contains(READY_LINE)) {
            if (!group.process().isAlive()) {
                throw new IllegalStateException(app.description() + " exited (" + group.process().exitValue()
                        + ") before its window opened; its standard error:\n" + tail(logDir.resolve("app.err.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(app.description() + " did not open its window within "
                        + START_LIMIT.toMinutes() + " minutes; its standard error:\n" + tail(logDir.resolve("app.err.log")));
            }
            Thread.sleep(100);
        }
    }

    /**
     * A script that runs {@code app} with the arguments it is given, as {@code latchkey} would:
     * the entry a client program gets from "Connect a client" ({@code <launcher> mcp --data-dir …})
     * then reaches the app the test started, not some other {@code latchkey} on the PATH.
     */
    private static Path launcher(AppCommand app, Path logDir) throws IOException {
        StringBuilder script = new StringBuilder("#!/bin/sh\n# The app a QA test started (dev.latchkey:latchkey-qa).\n");
        app.environment().forEach((name, value) -> script.append("export ").append(name).append('=').append(quoted(value)).append('\n'));
        script.append("exec");
        app.command().forEach(part -> script.append(' ').append(quoted(part)));
        script.append(" \"$@\"\n");
        Path file = logDir.resolve("latchkey");
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static String tail(Path file) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "";
        return text.length() > 4000 ? "…" + text.substring(text.length() - 4000) : text;
    }

    /** Where the app's API and page are served: {@code http://127.0.0.1:PORT}. */
    public URI apiBase() {
        return apiBase;
    }

    /** The API secret of the app's {@code instance.json}, for {@code Authorization: Bearer}. */
    public String apiToken() {
        return apiToken;
    }

    /** The app's API, called as a program does (with {@link #apiToken()}). */
    public AppApi api() {
        return new AppApi(apiBase, apiToken);
    }

    /** The data dir the app runs on (database, {@code catalog/}, {@code providers/}, {@code logs/}). */
    public Path dataDir() {
        return dataDir;
    }

    /** The app's standard output and error, {@code app.out.log} and {@code app.err.log}. */
    public Path logDir() {
        return logDir;
    }

    /** The port Selenium and DevTools attach to. */
    public int debuggingPort() {
        return debuggingPort;
    }

    /** The app's process and every process under it now (CEF's helpers, the servers it runs). */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> tree = new ArrayList<>(List.of(group.process().toHandle()));
        tree.addAll(group.process().descendants().toList());
        return tree;
    }

    /** True while the app or any process under it runs. */
    public boolean running() {
        return group.alive();
    }

    /** Kills the app, CEF's helpers and the servers it started; waits for the app's JVM. */
    @Override
    public void close() {
        group.kill();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
