package dev.latchkey.gateway;

import dev.latchkey.NpmTools;
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
        McpSyncClient client = client();
        RunningServer server = new RunningServer(installId, displayName, client, client.listTools().tools());
        running.put(installId, server);
        return server;
    }

    /** A client of a fresh server-everything process (for direct calls, e.g. the benchmark's baseline). */
    public static McpSyncClient client() {
        ServerParameters parameters = ServerParameters.builder("node")
                .args(NpmTools.bin("mcp-server-everything").toString(), "stdio").build();
        McpSyncClient client = McpClient.sync(new StdioClientTransport(parameters, McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(60)).build();
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
    public void close() {
        List.copyOf(running.keySet()).forEach(this::stop);
    }
}
