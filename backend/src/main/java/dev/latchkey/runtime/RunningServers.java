package dev.latchkey.runtime;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The MCP servers that run now, each with its initialized client: what the gateway serves and
 * forwards to. Which servers run changes with the installs' status ({@code running} or not), told
 * by {@link dev.latchkey.install.InstallEvents}.
 */
public interface RunningServers {

    /**
     * One running install's server: its client (initialized), the tools it listed when it started,
     * and where it tells that its lists changed since.
     */
    record RunningServer(String installId, String displayName, McpSyncClient client, List<McpSchema.Tool> tools,
            ListChanges changes) {

        public RunningServer {
            tools = List.copyOf(tools);
            Objects.requireNonNull(changes, "changes");
        }
    }

    /** A call let through to a server; closing it says the call is over. */
    interface CallPermit extends AutoCloseable {

        /** The permit of a server that is never drained. */
        CallPermit NONE = () -> { };

        @Override
        void close();
    }

    /** Every running server, in a stable order (by install id). */
    List<RunningServer> running();

    /** The running server of an install; empty when it does not run now. */
    Optional<RunningServer> find(String installId);

    /**
     * Lets one call through to an install's server, counted as under way until the permit closes.
     * While that server is drained for a restart (refreshed credentials it reads from its
     * environment), the call waits here until the restart is over.
     *
     * @throws IllegalStateException when the restart takes longer than a call may wait
     */
    CallPermit admit(String installId);
}
