package dev.latchkey.runtime;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Optional;

/**
 * The MCP servers that run now, each with its initialized client: what the gateway serves and
 * forwards to. Which servers run changes with the installs' status ({@code running} or not), told
 * by {@link dev.latchkey.install.InstallEvents}.
 */
public interface RunningServers {

    /** One running install's server: its client (initialized) and the tools it listed. */
    record RunningServer(String installId, String displayName, McpSyncClient client, List<McpSchema.Tool> tools) {

        public RunningServer {
            tools = List.copyOf(tools);
        }
    }

    /** Every running server, in a stable order (by install id). */
    List<RunningServer> running();

    /** The running server of an install; empty when it does not run now. */
    Optional<RunningServer> find(String installId);
}
