package dev.latchkey.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the app leaves no process of a sandbox behind, even one that ignores SIGTERM,
 * SIGHUP and its closed stdin: bwrap dies with the spawner's thread ({@code --die-with-parent}),
 * and its PID namespace with it. (The runtime's watchdog kills the group as well; this holds
 * without it.)
 */
class DieWithAppTest {

    @TempDir
    Path dataDir;

    @Test
    void killing_the_app_with_sigkill_ends_every_process_of_its_sandboxes() throws Exception {
        Process app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SandboxHold.class.getName(),
                dataDir.resolve("installs/held").toString(), dataDir.resolve("cache").toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the sandbox's pid").startsWith("PID ");
            ProcessHandle bwrap = ProcessHandle.of(Long.parseLong(line.substring(4))).orElseThrow();
            List<ProcessHandle> sandbox = awaitTree(bwrap, 4);

            app.destroyForcibly();
            assertThat(app.waitFor(10, TimeUnit.SECONDS)).isTrue();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sandbox.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sandbox).as("processes of the sandbox left after SIGKILL of the app").noneMatch(ProcessHandle::isAlive);
        } finally {
            app.destroyForcibly();
        }
    }

    /** bwrap, its init, sh and the two sleeps, once they are all there. */
    private static List<ProcessHandle> awaitTree(ProcessHandle bwrap, int descendants) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> tree = List.of();
        while (System.nanoTime() < deadline) {
            tree = Stream.concat(Stream.of(bwrap), bwrap.descendants()).toList();
            if (tree.size() >= descendants + 1) {
                return tree;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the sandbox did not start its processes: " + tree);
    }
}
