package dev.latchkey.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real MCP servers from npm that the tests start: pinned in {@code npm-tools/package.json},
 * installed into {@code npm-tools/node_modules} by {@code ./latchkey test}, or here on first use
 * when a test runs without it.
 */
public final class NpmServers {

    private NpmServers() {
    }

    /** The entry point of {@code @modelcontextprotocol/server-everything} (run it with {@code node <it> stdio}). */
    public static Path everything() {
        return installed("server-everything");
    }

    /** The entry point of {@code @modelcontextprotocol/server-filesystem} (run it with {@code node <it> DIR…}). */
    public static Path filesystem() {
        return installed("server-filesystem");
    }

    private static synchronized Path installed(String name) {
        Path tools = tools();
        Path entry = tools.resolve("node_modules/@modelcontextprotocol").resolve(name).resolve("dist/index.js");
        if (!Files.isRegularFile(entry)) {
            install(tools);
        }
        if (!Files.isRegularFile(entry)) {
            throw new IllegalStateException("npm install in " + tools + " did not install " + entry);
        }
        return entry;
    }

    private static void install(Path tools) {
        try {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-package-lock",
                    "--loglevel=error").directory(tools.toFile()).inheritIO().start();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm install in " + tools + " failed; run ./latchkey test, which installs them");
            }
        } catch (IOException e) {
            throw new IllegalStateException("the tests start MCP servers from npm and need Node.js and npm:"
                    + " apt-get install -y nodejs npm (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code npm-tools/} of the checkout, found from the module's working directory upwards. */
    static Path tools() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("npm-tools/package.json"))) {
                return dir.resolve("npm-tools");
            }
        }
        throw new IllegalStateException("no npm-tools/package.json above " + new File("").getAbsolutePath());
    }
}
