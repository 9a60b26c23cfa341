package dev.latchkey.e2e.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.NpmTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * One of the JS fixtures in {@code src/test/js/remote/} (the authorization server, the MCP server)
 * as a real process under npm's Node 22, on a port of its own. The script is copied into
 * {@code target/remote-fixtures/}, beside a link to {@code npm-tools/node_modules}, so its plain
 * {@code import}s find the pinned packages. What it prints is kept: lines {@code KIND {json}} are
 * its events ({@code EVENT}, {@code CALL}, {@code REFUSED}), the way a test sees what it did.
 */
final class NodeFixture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LISTEN = Duration.ofSeconds(60);

    private final String script;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private NodeFixture(String script, Process process) {
        this.script = script;
        this.process = process;
        Thread reader = new Thread(this::read, script + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code script} with {@code env} and waits until it prints {@code LISTENING}. */
    static NodeFixture start(String script, Map<String, String> env) throws IOException {
        Path dir = Path.of("target/remote-fixtures").toAbsolutePath();
        Files.createDirectories(dir);
        Path modules = dir.resolve("node_modules");
        Files.deleteIfExists(modules);
        Files.createSymbolicLink(modules, NpmTools.modules("oidc-provider"));
        Files.copy(Path.of("src/test/js/remote").resolve(script), dir.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder(NpmTools.node22().toString(), script).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("NO_COLOR", "1");
        NodeFixture fixture = new NodeFixture(script, builder.start());
        fixture.await(line -> line.startsWith("LISTENING "), LISTEN, "to listen");
        return fixture;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code kind} lines printed so far, as JSON. */
    List<JsonNode> events(String kind) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(kind + " ")) {
                try {
                    events.add(JSON.readTree(line.substring(kind.length() + 1)));
                } catch (IOException e) {
                    throw new IllegalStateException(script + " printed a line that is not JSON: " + line, e);
                }
            }
        }
        return events;
    }

    /** {@code EVENT}s named {@code name}. */
    List<JsonNode> named(String name) {
        return events("EVENT").stream().filter(e -> e.path("event").asText().equals(name)).toList();
    }

    /** Waits for the first {@code kind} line that matches; fails saying what the fixture printed. */
    JsonNode await(String kind, Predicate<JsonNode> match, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode event : events(kind)) {
                if (match.test(event)) {
                    return event;
                }
            }
            pause();
        }
        throw new AssertionError(script + " saw no " + what + " within " + within.toSeconds() + " s; it printed:\n" + output());
    }

    /** Everything the fixture printed. */
    String output() {
        return String.join("\n", lines);
    }

    private void await(Predicate<String> match, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (lines.stream().noneMatch(match)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(script + " did not start " + what + "; it printed:\n" + output());
            }
            pause();
        }
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output ended: " + e + ")");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
