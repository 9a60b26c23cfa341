package dev.latchkey.runtime;

import dev.latchkey.launch.LaunchSpec;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;

/** How one attempt to start an install's server ended. */
sealed interface StartOutcome {

    /**
     * It runs and answered: initialized, tools listed. {@code spec} is what it was started from;
     * {@code changes} tells when it says its lists changed.
     */
    record Started(ServerProcess process, McpSyncClient client, List<McpSchema.Tool> tools, LaunchSpec spec,
            ListChanges changes) implements StartOutcome {
    }

    /** It exited before it answered; worth another try after a pause. */
    record Crashed(int exitCode) implements StartOutcome {
    }

    /**
     * Not started: the install's status may not become a start now (it waits for a sign-in, or was
     * stopped meanwhile); {@code status} says what it is.
     */
    record Refused(String status) implements StartOutcome {
    }

    /** It cannot run as it is (a missing runtime, a time limit hit, a broken handshake); trying again now would not help. */
    record Failed(String reason) implements StartOutcome {
    }
}
