package dev.latchkey.remote;

import dev.latchkey.NpmTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the official MCP conformance suite ({@code conformance client}) against
 * {@code latchkey remote-check} under npm's Node 22. The suite starts the client as
 * {@code <command> <server URL>}, splitting the command at spaces, so the client is a small script
 * in {@code target/} holding this JVM's class path.
 */
final class ConformanceRun {

    /** What the suite printed and how it exited. */
    record Result(int exit, String output) {
    }

    /** The client id the suite's CIMD scenario expects, given through the app's own setting. */
    static final String CLIENT_METADATA_URL = "https://conformance-test.local/client-metadata.json";

    private ConformanceRun() {
    }

    static Path launcher() throws IOException {
        Path script = Path.of("target/remote-check").toAbsolutePath();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' dev.latchkey.remote.RemoteCheck --call test-tool"
                + " --client-metadata-url " + CLIENT_METADATA_URL + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** @param selection {@code --suite auth} or {@code --scenario NAME} */
    static Result run(String packageName, List<String> selection, Path output) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(NpmTools.node22().toString(),
                NpmTools.conformance(packageName).toString(), "client", "--command", launcher().toString()));
        command.addAll(selection);
        // Fourteen JVMs start at once on a shared machine: the suite's 30 s per client is too tight there.
        command.addAll(List.of("--timeout", "120000", "-o", output.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PATH", NpmTools.node22().getParent() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("NO_COLOR", "1");
        Path log = output.resolveSibling(output.getFileName() + ".log");
        Files.createDirectories(output);
        Process process = builder.redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the conformance suite ran over 10 minutes; see " + log);
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
