package dev.latchkey.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The npm packages the tests start (MCP servers and clients no one here wrote), pinned in
 * {@code npm-tools/package.json}. {@code ./latchkey test} installs them; a test run without that
 * installs them here, once, the same way.
 */
public final class NpmTools {

    private NpmTools() {
    }

    /** The project's {@code npm-tools} folder. */
    public static Path folder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("npm-tools/package.json"))) {
                return dir.resolve("npm-tools");
            }
        }
        throw new IllegalStateException("no npm-tools/package.json above " + Path.of("").toAbsolutePath());
    }

    /** The script of an installed package's command, e.g. {@code mcp-server-everything}; installs the packages first when needed. */
    public static synchronized Path bin(String command) {
        Path bin = folder().resolve("node_modules/.bin").resolve(command);
        if (!Files.exists(bin)) {
            install();
        }
        if (!Files.exists(bin)) {
            throw new IllegalStateException(bin + " is missing after npm install; is it in npm-tools/package.json?");
        }
        return bin;
    }

    private static void install() {
        try {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error")
                    .directory(folder().toFile()).inheritIO().start();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm install in " + folder() + " failed; run ./latchkey test, which installs them");
            }
        } catch (IOException e) {
            throw new IllegalStateException("the tests need Node.js 20+ and npm (apt-get install -y nodejs npm): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing npm-tools", e);
        }
    }
}
