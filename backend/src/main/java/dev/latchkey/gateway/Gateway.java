package dev.latchkey.gateway;

import dev.latchkey.install.InstallEvent;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.runtime.RunningServers;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The MCP gateway: one MCP server (the SDK's) that lists the tools of every running install as
 * {@code <install>__<tool>} and forwards each call to that install's server, answering its result
 * or its error unchanged. Prompts (renamed the same way) and resources (behind
 * {@code latchkey://<install>/}, see {@link ResourceUris}) pass through too. What is offered is the
 * {@link ExposedCatalog}; how a request reaches a server is the {@link Forwarder}. Which installs a
 * client sees is the client's limit. The lists follow the installs and each server's own
 * {@code list_changed}: clients hear {@code notifications/tools/list_changed} when they change.
 * Knows nothing of HTTP: the transport is given.
 */
public final class Gateway implements AutoCloseable {

    /** The key under which the HTTP edge puts the calling {@link GatewayClient} into each request's context. */
    public static final String CLIENT = "latchkey.client";

    /** Downstream servers check their own input and output; the gateway passes both through untouched. */
    private static final JsonSchemaValidator PASS_THROUGH = (schema, content) ->
            JsonSchemaValidator.ValidationResponse.asValid(null);

    private final RunningServers servers;
    private final InstallService installs;
    private final InstallEvents events;
    private final ClientService clients;
    private final Duration listTimeout;
    private final Forwarder forwarder;
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(daemon("latchkey-gateway-notify"));
    private McpSyncServer server;
    private ExposedCatalog catalog;
    private Runnable unsubscribe = () -> { };

    public Gateway(RunningServers servers, InstallService installs, InstallEvents events, ClientService clients) {
        this(servers, installs, events, clients, ServerLists.LIST_TIMEOUT);
    }

    /** @param listTimeout how long one server may take to answer one list request */
    public Gateway(RunningServers servers, InstallService installs, InstallEvents events, ClientService clients,
            Duration listTimeout) {
        this.servers = servers;
        this.installs = installs;
        this.events = events;
        this.clients = clients;
        this.listTimeout = listTimeout;
        this.forwarder = new Forwarder(servers, new CallLog(clients::recordCalls));
    }

    /** Serves MCP over {@code transport}, listing what runs now and following the installs from here on. */
    public void start(McpStreamableServerTransportProvider transport) {
        server = McpServer.sync(transport)
                .serverInfo("latchkey", "0.1.0")
                .instructions("The tools of the MCP servers running in Latchkey, each named <install>__<tool>.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).prompts(true).resources(false, true).build())
                .jsonSchemaValidator(PASS_THROUGH)
                .validateToolInputs(false)
                // Handlers run on the request's own thread, which waits for them anyway: no hop to another pool.
                .immediateExecution(true)
                .addToolFilter((context, tool) -> catalog.visible(context, tool))
                .build();
        catalog = new ExposedCatalog(servers, installs, forwarder, server, listTimeout);
        clients.onChange(() -> notifier.execute(server::notifyToolsListChanged));
        unsubscribe = events.subscribe(this::onEvent);
        refresh().join();
    }

    /** Brings the lists up to date with the running servers; completes after a sync that began after this call. */
    public CompletableFuture<Void> refresh() {
        return catalog.sync();
    }

    private void onEvent(InstallEvent event) {
        if (event instanceof InstallEvent.Changed changed) {
            if (changed.install().status() != InstallStatus.RUNNING) {
                forwarder.interrupt(changed.install().id(), changed.install().displayName() + " stopped during the call ("
                        + changed.install().status().wireName() + ")");
            }
            refresh();
        } else if (event instanceof InstallEvent.Removed removed) {
            forwarder.interrupt(removed.id(), "the install was removed during the call");
            refresh();
        }
    }

    /**
     * What a list request answers to {@code client}, for the lists the SDK's server cannot filter
     * per client (prompts, resources, resource templates); empty for any other method.
     */
    public Optional<Object> listFor(GatewayClient client, String method) {
        return catalog.listFor(client, method);
    }

    static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        unsubscribe.run();
        notifier.shutdownNow();
        if (catalog != null) {
            catalog.close();
        }
        if (server != null) {
            server.closeGracefully();
        }
        forwarder.close();
    }
}
