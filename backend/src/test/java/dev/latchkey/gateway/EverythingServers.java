package dev.latchkey.gateway;

import dev.latchkey.NpmTools;
import dev.latchkey.runtime.ListChanges;
import dev.latchkey.runtime.RunningServers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Real {@code @modelcontextprotocol/server-everything} processes over stdio, offered through the
 * runtime's {@link RunningServers} contract: what the gateway reads, with real servers behind it,
 * until the tests can go through the MCP runtime itself.
 */
public final class EverythingServers implements RunningServers, AutoCloseable {

    private final Map<String, RunningServer> running = new ConcurrentSkipListMap<>();

    /** Starts a server for {@code installId} and returns it once initialized and its tools listed. */
    public RunningServer start(String installId, String displayName) {
        ListChanges changes = new ListChanges();
        McpSyncClient client = client(changes, "node", NpmTools.bin("mcp-server-everything").toString(), "stdio");
        RunningServer server = new RunningServer(installId, displayName, client, client.listTools().tools(), changes);
        running.put(installId, server);
        return server;
    }

    /**
     * Starts {@code command} as the server of {@code installId} once it answered initialize, with no
     * tools listed at its start (for a server that never answers tools/list).
     */
    public RunningServer startUnlisted(String installId, String displayName, String... command) {
        ListChanges changes = new ListChanges();
        RunningServer server = new RunningServer(installId, displayName, client(changes, command), List.of(), changes);
        running.put(installId, server);
        return server;
    }

    /** A client of a fresh server-everything process (for direct calls, e.g. the benchmark's baseline). */
    public static McpSyncClient client() {
        return client(new ListChanges(), "node", NpmTools.bin("mcp-server-everything").toString(), "stdio");
    }

    private static McpSyncClient client(ListChanges changes, String... command) {
        ServerParameters parameters = ServerParameters.builder(command[0])
                .args(List.of(command).subList(1, command.length)).build();
        McpSyncClient client = changes.wire(McpClient.sync(new StdioClientTransport(parameters, McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(60))).build();
        client.initialize();
        return client;
    }

    /** Stops an install's server (its process ends). */
    public void stop(String installId) {
        RunningServer server = running.remove(installId);
        if (server != null) {
            server.client().close();
        }
    }

    @Override
    public List<RunningServer> running() {
        return List.copyOf(running.values());
    }

    @Override
    public Optional<RunningServer> find(String installId) {
        return Optional.ofNullable(running.get(installId));
    }

    @Override
    public CallPermit admit(String installId) {
        return CallPermit.NONE;
    }

    @Override
    public void close() {
        List.copyOf(running.keySet()).forEach(this::stop);
    }
}
