package dev.latchkey.desktop;

import dev.latchkey.store.DataDirInUseException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One Latchkey per data directory, and so per user: a second start hands its request to the app
 * already running (its window comes to the front, or it hands out a fresh launch URL) and exits
 * 0. The data directory's lock says who runs; the {@link InstanceSocket} is how to reach it. A
 * lock left by a killed app is no lock at all (the kernel drops it with the process), so the
 * next start takes it as usual.
 */
final class SingleInstance {

    /** How long a second start waits for a first one that holds the lock but is still starting. */
    private static final Duration STARTING_LIMIT = Duration.ofSeconds(20);

    private SingleInstance() {
    }

    /** Hands over to the app running on {@code dataDir} and says so: 0; empty when none answers. */
    static Optional<Integer> handOver(Path dataDir) {
        return InstanceSocket.handOver(dataDir).map(answer -> {
            if (answer.startsWith("url ")) {
                System.out.println("Latchkey is already running. Open " + answer.substring("url ".length()));
            } else if (answer.equals("browser")) {
                System.out.println("Latchkey is already running; opened the Connectors page in your browser.");
            } else {
                System.out.println("Latchkey is already running; brought its window to the front.");
            }
            System.out.flush();
            return 0;
        });
    }

    /**
     * The data directory is locked by another process: the same user's app, maybe still starting,
     * gets the request once it answers; another user's app is never asked. Returns the exit code.
     */
    static int whenLocked(Path dataDir, DataDirInUseException locked) {
        if (locked.otherUser().isEmpty()) {
            long deadline = System.nanoTime() + STARTING_LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<Integer> handed = handOver(dataDir);
                if (handed.isPresent()) {
                    return handed.get();
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        System.err.println("latchkey: " + locked.getMessage());
        return 1;
    }
}
