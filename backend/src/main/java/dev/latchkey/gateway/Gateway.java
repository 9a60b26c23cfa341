package dev.latchkey.gateway;

import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.runtime.RunningServers;
import dev.latchkey.runtime.RunningServers.RunningServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP gateway: one MCP server (the SDK's) that lists the tools of every running install as
 * {@code <install>__<tool>} and forwards each call to that install's server, answering its result
 * or its error unchanged. Prompts (renamed the same way) and resources (by their own URI) pass
 * through too. Which installs a client sees is the client's limit; every tools/call is counted and
 * audited (by a {@link CallLog}, off the call's path). A call runs on the request's own thread. The list follows the installs: when one starts, stops or is removed, clients hear
 * {@code notifications/tools/list_changed}. Knows nothing of HTTP: the transport is given.
 */
public final class Gateway implements AutoCloseable {

    /** The key under which the HTTP edge puts the calling {@link GatewayClient} into each request's context. */
    public static final String CLIENT = "latchkey.client";

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** How often a message the stdio client would not queue is offered again. */
    private static final int MAX_SEND_ATTEMPTS = 50;

    /** Downstream servers check their own input and output; the gateway passes both through untouched. */
    private static final JsonSchemaValidator PASS_THROUGH = (schema, content) ->
            JsonSchemaValidator.ValidationResponse.asValid(null);

    /** What an exposed name stands for: an install and the name its server gave it. */
    private record Target(String installId, String name) {
    }

    /** A prompt, resource or resource template the gateway offers, and where it comes from. */
    private record Exposed<T>(T item, Target target) {
    }

    /** A request thread waiting on an install's server; {@code why} is set when the gateway ended the wait. */
    private static final class Waiting {
        private final Thread thread = Thread.currentThread();
        private String why;
        private boolean answered;
    }

    private final RunningServers servers;
    private final InstallService installs;
    private final InstallEvents events;
    private final ClientService clients;
    private final CallLog callLog;
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(daemon("latchkey-gateway-refresh"));
    private final Map<String, Set<Waiting>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Target> tools = new ConcurrentHashMap<>();
    private final Map<String, Tool> toolDefinitions = new HashMap<>();
    private final Map<String, Exposed<McpSchema.Prompt>> prompts = new ConcurrentHashMap<>();
    private final Map<String, Exposed<McpSchema.Resource>> resources = new ConcurrentHashMap<>();
    private final Map<String, Exposed<McpSchema.ResourceTemplate>> templates = new ConcurrentHashMap<>();
    private McpSyncServer server;
    private Runnable unsubscribe = () -> { };

    public Gateway(RunningServers servers, InstallService installs, InstallEvents events, ClientService clients) {
        this.servers = servers;
        this.installs = installs;
        this.events = events;
        this.clients = clients;
        this.callLog = new CallLog(clients::recordCalls);
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
                .addToolFilter(this::visible)
                .build();
        clients.onChange(() -> refresher.execute(server::notifyToolsListChanged));
        unsubscribe = events.subscribe(this::onEvent);
        refresh().join();
    }

    /** Brings the lists up to date with the running servers; done on one thread, in order. */
    public CompletableFuture<Void> refresh() {
        return CompletableFuture.runAsync(this::sync, refresher);
    }

    private void onEvent(InstallEvent event) {
        if (event instanceof InstallEvent.Changed changed) {
            if (changed.install().status() != InstallStatus.RUNNING) {
                interrupt(changed.install().id(), changed.install().displayName() + " stopped during the call ("
                        + changed.install().status().wireName() + ")");
            }
            refresh();
        } else if (event instanceof InstallEvent.Removed removed) {
            interrupt(removed.id(), "the install was removed during the call");
            refresh();
        }
    }

    /**
     * Ends the waits on an install's server: a stopped server must not leave a client hanging
     * (the SDK's stdio client waits for an answer until its timeout even when the process died).
     */
    private void interrupt(String installId, String why) {
        for (Waiting waiting : inFlight.getOrDefault(installId, Set.of())) {
            synchronized (waiting) {
                if (!waiting.answered) {
                    waiting.why = why;
                    waiting.thread.interrupt();
                }
            }
        }
    }

    private synchronized void sync() {
        List<RunningServer> running = servers.running();
        Map<String, String> prefixes = prefixes(running);
        Map<String, Tool> wantedTools = new HashMap<>();
        Map<String, Target> wantedTargets = new HashMap<>();
        Map<String, Exposed<McpSchema.Prompt>> wantedPrompts = new HashMap<>();
        Map<String, Exposed<McpSchema.Resource>> wantedResources = new HashMap<>();
        Map<String, Exposed<McpSchema.ResourceTemplate>> wantedTemplates = new HashMap<>();
        for (RunningServer one : running) {
            String prefix = prefixes.get(one.installId()) + InstallPrefixes.SEPARATOR;
            for (Tool tool : one.tools()) {
                wantedTools.put(prefix + tool.name(), renamed(tool, prefix + tool.name()));
                wantedTargets.put(prefix + tool.name(), new Target(one.installId(), tool.name()));
            }
            for (McpSchema.Prompt prompt : list(one, "prompts", capabilities -> capabilities.prompts() != null,
                    client -> client.listPrompts().prompts())) {
                String name = prefix + prompt.name();
                wantedPrompts.put(name, new Exposed<>(new McpSchema.Prompt(name, prompt.title(), prompt.description(),
                        prompt.arguments(), prompt.meta(), prompt.icons()), new Target(one.installId(), prompt.name())));
            }
            // Resources and templates keep their URIs (a client reads by them); the first install to list one serves it.
            for (McpSchema.Resource resource : list(one, "resources", capabilities -> capabilities.resources() != null,
                    client -> client.listResources().resources())) {
                wantedResources.putIfAbsent(resource.uri(), new Exposed<>(resource, new Target(one.installId(), resource.uri())));
            }
            for (McpSchema.ResourceTemplate template : list(one, "resource templates",
                    capabilities -> capabilities.resources() != null, client -> client.listResourceTemplates().resourceTemplates())) {
                wantedTemplates.putIfAbsent(template.uriTemplate(),
                        new Exposed<>(template, new Target(one.installId(), template.uriTemplate())));
            }
        }
        syncTools(wantedTools, wantedTargets);
        follow(prompts, wantedPrompts, server::removePrompt, (name, prompt) -> server.addPrompt(
                new SyncPromptSpecification(prompt.item(), (exchange, request) -> forward(exchange, prompt.target(),
                        one -> one.client().getPrompt(new McpSchema.GetPromptRequest(
                                prompt.target().name(), request.arguments(), request.meta()))))));
        follow(resources, wantedResources, server::removeResource, (uri, resource) -> server.addResource(
                new SyncResourceSpecification(resource.item(), (exchange, request) -> read(exchange, resource, request))));
        follow(templates, wantedTemplates, server::removeResourceTemplate, (uri, template) -> server.addResourceTemplate(
                new SyncResourceTemplateSpecification(template.item(), (exchange, request) -> read(exchange, template, request))));
    }

    private void syncTools(Map<String, Tool> wanted, Map<String, Target> targets) {
        for (String name : List.copyOf(toolDefinitions.keySet())) {
            if (!wanted.containsKey(name)) {
                tools.remove(name);
                toolDefinitions.remove(name);
                server.removeTool(name);
            }
        }
        wanted.forEach((name, tool) -> {
            if (!tool.equals(toolDefinitions.get(name)) || !targets.get(name).equals(tools.get(name))) {
                Target target = targets.get(name);
                tools.put(name, target);
                toolDefinitions.put(name, tool);
                server.addTool(new SyncToolSpecification(tool, (exchange, request) -> call(exchange, target, request)));
            }
        });
    }

    /** Makes {@code current} what is {@code wanted}, telling the SDK's server what went and what came or changed. */
    private static <T> void follow(Map<String, Exposed<T>> current, Map<String, Exposed<T>> wanted,
            Consumer<String> remove, BiConsumer<String, Exposed<T>> add) {
        for (String key : List.copyOf(current.keySet())) {
            if (!wanted.containsKey(key)) {
                current.remove(key);
                remove.accept(key);
            }
        }
        wanted.forEach((key, exposed) -> {
            if (!exposed.equals(current.get(key))) {
                current.put(key, exposed);
                add.accept(key, exposed);
            }
        });
    }

    private McpSchema.ReadResourceResult read(McpSyncServerExchange exchange, Exposed<?> source,
            McpSchema.ReadResourceRequest request) {
        return forward(exchange, source.target(), running -> running.client().readResource(
                new McpSchema.ReadResourceRequest(request.uri(), request.meta())));
    }

    /**
     * What a list request answers to {@code client}, for the lists the SDK's server cannot filter
     * per client (prompts, resources, resource templates); empty for any other method.
     */
    public Optional<Object> listFor(GatewayClient client, String method) {
        return switch (method) {
            case McpSchema.METHOD_PROMPT_LIST -> Optional.of(new McpSchema.ListPromptsResult(
                    visibleTo(client, prompts), null));
            case McpSchema.METHOD_RESOURCES_LIST -> Optional.of(new McpSchema.ListResourcesResult(
                    visibleTo(client, resources), null));
            case McpSchema.METHOD_RESOURCES_TEMPLATES_LIST -> Optional.of(new McpSchema.ListResourceTemplatesResult(
                    visibleTo(client, templates), null));
            default -> Optional.empty();
        };
    }

    private static <T> List<T> visibleTo(GatewayClient client, Map<String, Exposed<T>> exposed) {
        return new TreeMap<>(exposed).values().stream()
                .filter(one -> client.mayUse(one.target().installId()))
                .map(Exposed::item)
                .toList();
    }

    private CallToolResult call(McpSyncServerExchange exchange, Target target, CallToolRequest request) {
        GatewayClient client = client(exchange.transportContext());
        if (client.mayUse(target.installId())) {
            callLog.add(new CallLog.Call(client.id(), target.installId(), target.name(), Instant.now()));
        }
        return forward(exchange, target, running ->
                running.client().callTool(new CallToolRequest(target.name(), request.arguments(), request.meta())));
    }

    /** Sends one request to an install's server for the calling client, waiting until it answers or stops. */
    private <T> T forward(McpSyncServerExchange exchange, Target target, Function<RunningServer, T> request) {
        GatewayClient client = client(exchange.transportContext());
        if (!client.mayUse(target.installId())) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS)
                    .message("the client \"" + client.name() + "\" may not use this install's tools").build();
        }
        RunningServer running = servers.find(target.installId()).orElseThrow(() ->
                McpError.builder(ErrorCodes.INTERNAL_ERROR).message("that install's server is not running").build());
        Waiting waiting = new Waiting();
        Set<Waiting> pending = inFlight.computeIfAbsent(target.installId(), id -> ConcurrentHashMap.newKeySet());
        pending.add(waiting);
        try {
            if (servers.find(target.installId()).isEmpty()) {
                interrupt(target.installId(), running.displayName() + " stopped during the call");
            }
            return send(running, request);
        } catch (RuntimeException e) {
            String why = stoppedBecause(waiting);
            throw why != null ? McpError.builder(ErrorCodes.INTERNAL_ERROR).message(why).build()
                    : mcpError(e, running.displayName());
        } finally {
            pending.remove(waiting);
            synchronized (waiting) {
                waiting.answered = true;
                if (waiting.why != null) {
                    Thread.interrupted(); // the request thread goes back to the server's pool without the interrupt
                }
            }
        }
    }

    private static String stoppedBecause(Waiting waiting) {
        synchronized (waiting) {
            return waiting.why;
        }
    }

    private static <T> T send(RunningServer running, Function<RunningServer, T> request) {
        // The SDK's stdio client refuses a message while another is being queued ("Failed to
        // enqueue message"); nothing was sent then, so sending again is safe.
        for (int attempt = 1; ; attempt++) {
            try {
                return request.apply(running);
            } catch (RuntimeException e) {
                if (attempt >= MAX_SEND_ATTEMPTS || !notSent(e)) {
                    throw e;
                }
                Thread.yield();
            }
        }
    }

    private static boolean notSent(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if ("Failed to enqueue message".equals(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** A downstream MCP error passes unchanged; anything else becomes an internal error naming the server. */
    private static McpError mcpError(Throwable cause, String server) {
        if (cause instanceof McpError error) {
            return error;
        }
        return McpError.builder(ErrorCodes.INTERNAL_ERROR).message(server + " failed: " + cause.getMessage()).build();
    }

    private boolean visible(McpTransportContext context, Tool tool) {
        Target target = tools.get(tool.name());
        Object client = context.get(CLIENT);
        return target != null && client instanceof GatewayClient caller && caller.mayUse(target.installId());
    }

    private static GatewayClient client(McpTransportContext context) {
        if (context.get(CLIENT) instanceof GatewayClient client) {
            return client;
        }
        throw McpError.builder(ErrorCodes.INVALID_REQUEST).message("no client token came with this request").build();
    }

    /** Prefixes over every install (oldest first), so a prefix does not move when another install starts. */
    private Map<String, String> prefixes(List<RunningServer> running) {
        List<InstallPrefixes.Named> named = new ArrayList<>();
        List<Install> all = new ArrayList<>(installs.list());
        all.sort(Comparator.comparing(Install::createdAt).thenComparing(Install::id));
        all.forEach(install -> named.add(new InstallPrefixes.Named(install.id(), shortName(install.catalogName()))));
        Set<String> listed = all.stream().map(Install::id).collect(Collectors.toSet());
        running.stream().filter(one -> !listed.contains(one.installId()))
                .forEach(one -> named.add(new InstallPrefixes.Named(one.installId(), one.displayName())));
        return InstallPrefixes.assign(named);
    }

    /** {@code modelcontextprotocol__everything} → {@code everything}: the catalog name without its publisher. */
    private static String shortName(String catalogName) {
        int separator = catalogName.lastIndexOf("__");
        return separator < 0 ? catalogName : catalogName.substring(separator + 2);
    }

    private static Tool renamed(Tool tool, String name) {
        return new Tool(name, tool.title(), tool.description(), tool.inputSchema(), tool.outputSchema(),
                tool.annotations(), tool.meta(), tool.icons());
    }

    /** What a server lists of one kind, or nothing when it does not offer that kind or cannot list it. */
    private static <T> List<T> list(RunningServer one, String what, Predicate<McpSchema.ServerCapabilities> offers,
            Function<McpSyncClient, List<T>> lister) {
        McpSchema.ServerCapabilities capabilities = one.client().getServerCapabilities();
        if (capabilities == null || !offers.test(capabilities)) {
            return List.of();
        }
        try {
            return lister.apply(one.client());
        } catch (RuntimeException e) {
            LOG.warn("{}: its {} could not be listed: {}", one.displayName(), what, e.getMessage());
            return List.of();
        }
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        unsubscribe.run();
        refresher.shutdownNow();
        if (server != null) {
            server.closeGracefully();
        }
        callLog.close();
    }
}
