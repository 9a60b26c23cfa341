package dev.latchkey;

import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What a test's MCP client hears (tool lists, list_changed notifications), and waiting until it
 * has heard something. The wait's limit only ends a hung test; it is not a deadline the app must meet.
 */
public final class Heard {

    private Heard() {
    }

    /** The tools' names, in the order listed. */
    public static List<String> names(List<Tool> tools) {
        return tools.stream().map(Tool::name).toList();
    }

    /** Waits until {@code condition} holds; after {@code limit} fails naming {@code what} it waited for. */
    public static void until(BooleanSupplier condition, String what, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + limit.toSeconds() + " s for " + what);
            }
            Thread.sleep(50);
        }
    }
}
