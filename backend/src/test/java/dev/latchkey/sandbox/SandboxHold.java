package dev.latchkey.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The app side of {@link DieWithAppTest}: starts, as the runtime does ({@code setsid}, through the
 * {@link Spawner}), a sandbox whose program ignores SIGTERM, SIGHUP and the end of its stdin, prints
 * {@code PID <bwrap's pid>} and waits to be killed. Arguments: {@code HOME_DIR CACHE_DIR}.
 */
public final class SandboxHold {

    private SandboxHold() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Files.createDirectories(Path.of(args[0]));
        Sandbox sandbox = Sandbox.forApp(home.getParent(), true, System.getenv("PATH"));
        List<String> command = new java.util.ArrayList<>(List.of("setsid"));
        command.addAll(sandbox.command(new Sandbox.Launch(Path.of("/bin/sh"),
                List.of("-c", "trap '' TERM HUP; sleep 600 & sleep 600 & wait"), home, Path.of(args[1]), List.of(),
                Access.DEFAULT)));
        Process process = Spawner.start(new ProcessBuilder(command).directory(home.toFile()));
        System.out.println("PID " + process.pid());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
