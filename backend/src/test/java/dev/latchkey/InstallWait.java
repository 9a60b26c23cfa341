package dev.latchkey;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Waits for an install on the app's own word, never on a short fixed time: a server's first start
 * may fetch its packages (minutes on a cold npm cache) or wait out a slow machine. While the app
 * says the install is on its way ({@link #ON_THE_WAY}) the wait goes on; when it settles on another
 * status than the one awaited, the test fails at once with what the app said. {@link #HUNG} only
 * ends a test whose app never settles: the runtime's own limits (packages, start timeout,
 * restarts) end every start well within it. Shared with the e2e module through the test-jar.
 */
public final class InstallWait {

    /** Statuses the app moves on from by itself (an install that needs no sign-in starts from {@code connected}). */
    public static final Set<String> ON_THE_WAY = Set.of("connecting", "connected", "installing", "starting");
    /** Longer than any start the runtime allows; reached only by an app that hangs. */
    public static final Duration HUNG = Duration.ofMinutes(15);

    private InstallWait() {
    }

    /**
     * Reads the install ({@code GET /api/installs/{id}} as JSON) until its {@code status} is
     * {@code wanted}; returns that answer. {@code passing} are statuses it may still show on the
     * way there (e.g. {@code running} before a stop takes effect).
     */
    public static JsonNode until(Supplier<JsonNode> install, String wanted, String... passing) {
        Set<String> mayPass = Set.of(passing);
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + HUNG.toNanos();
        while (true) {
            JsonNode now = install.get();
            String status = now.path("status").asText();
            if (status.equals(wanted)) {
                return now;
            }
            String said = status + ": " + now.path("statusReason").asText();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(said)) {
                seen.add(said);
            }
            if (!ON_THE_WAY.contains(status) && !mayPass.contains(status)) {
                throw new AssertionError("install settled on " + said + " instead of " + wanted + "; it went " + seen);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("install still " + said + " after " + HUNG.toMinutes() + " min; it went " + seen);
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for an install", e);
        }
    }
}
