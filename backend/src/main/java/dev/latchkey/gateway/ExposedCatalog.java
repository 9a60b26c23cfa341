package dev.latchkey.gateway;

import dev.latchkey.install.Install;
import dev.latchkey.install.InstallService;
import dev.latchkey.runtime.RunningServers;
import dev.latchkey.runtime.RunningServers.RunningServer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.time.Duration;
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
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway offers: the tools and prompts of every running install renamed
 * {@code <prefix>__<name>}, their resources and templates renamed by {@link ResourceUris}, each
 * kept in step with the SDK's server, which tells clients what changed. A sync reads the
 * per-server lists {@link ServerLists} keeps and never asks a server itself. Syncs are
 * coalesced: asking for one while one runs marks the catalog dirty, and one more runs after.
 */
final class ExposedCatalog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExposedCatalog.class);

    /** What an exposed name stands for: an install, its prefix, and the name its server gave it. */
    record Target(String installId, String prefix, String name) {
    }

    /** A tool, prompt, resource or resource template the gateway offers, and where it comes from. */
    private record Exposed<T>(T item, Target target) {
    }

    private final RunningServers servers;
    private final InstallService installs;
    private final Forwarder forwarder;
    private final McpSyncServer server;
    private final ServerLists lists;
    private final ExecutorService syncer = Executors.newSingleThreadExecutor(Gateway.daemon("latchkey-gateway-sync"));
    private final Map<String, Exposed<Tool>> tools = new ConcurrentHashMap<>();
    private final Map<String, Exposed<McpSchema.Prompt>> prompts = new ConcurrentHashMap<>();
    private final Map<String, Exposed<McpSchema.Resource>> resources = new ConcurrentHashMap<>();
    private final Map<String, Exposed<McpSchema.ResourceTemplate>> templates = new ConcurrentHashMap<>();
    // Guarded by this: the sync that callers asked for and that has not started yet, and whether one runs.
    private CompletableFuture<Void> next;
    private boolean syncing;

    ExposedCatalog(RunningServers servers, InstallService installs, Forwarder forwarder, McpSyncServer server,
            Duration listTimeout) {
        this.servers = servers;
        this.installs = installs;
        this.forwarder = forwarder;
        this.server = server;
        this.lists = new ServerLists(this::sync, listTimeout);
    }

    /** Brings the catalog up to date; the future completes after a sync that began after this call. */
    synchronized CompletableFuture<Void> sync() {
        if (next == null) {
            next = new CompletableFuture<>();
            if (!syncing) {
                syncing = true;
                syncer.execute(this::syncWhileDirty);
            }
        }
        return next;
    }

    private void syncWhileDirty() {
        while (true) {
            CompletableFuture<Void> done;
            synchronized (this) {
                if (next == null) {
                    syncing = false;
                    return;
                }
                done = next;
                next = null;
            }
            try {
                syncOnce();
                done.complete(null);
            } catch (RuntimeException e) {
                LOG.warn("the gateway's lists could not be brought up to date", e);
                done.completeExceptionally(e);
            }
        }
    }

    private void syncOnce() {
        List<RunningServer> running = servers.running();
        lists.follow(running);
        Map<String, String> prefixes = prefixes(running);
        Map<String, Exposed<Tool>> wantedTools = new HashMap<>();
        Map<String, Exposed<McpSchema.Prompt>> wantedPrompts = new HashMap<>();
        Map<String, Exposed<McpSchema.Resource>> wantedResources = new HashMap<>();
        Map<String, Exposed<McpSchema.ResourceTemplate>> wantedTemplates = new HashMap<>();
        for (RunningServer one : running) {
            String prefix = prefixes.get(one.installId());
            ServerLists.Lists offered = lists.of(one.installId());
            for (Tool tool : offered.tools()) {
                String name = prefix + InstallPrefixes.SEPARATOR + tool.name();
                wantedTools.put(name, new Exposed<>(new Tool(name, tool.title(), tool.description(), tool.inputSchema(),
                        tool.outputSchema(), tool.annotations(), tool.meta(), tool.icons()),
                        new Target(one.installId(), prefix, tool.name())));
            }
            for (McpSchema.Prompt prompt : offered.prompts()) {
                String name = prefix + InstallPrefixes.SEPARATOR + prompt.name();
                wantedPrompts.put(name, new Exposed<>(new McpSchema.Prompt(name, prompt.title(), prompt.description(),
                        prompt.arguments(), prompt.meta(), prompt.icons()), new Target(one.installId(), prefix, prompt.name())));
            }
            for (McpSchema.Resource resource : offered.resources()) {
                String uri = ResourceUris.exposed(prefix, resource.uri());
                wantedResources.put(uri, new Exposed<>(new McpSchema.Resource(uri, resource.name(), resource.title(),
                        resource.description(), resource.mimeType(), resource.size(), resource.annotations(),
                        resource.meta(), resource.icons()), new Target(one.installId(), prefix, resource.uri())));
            }
            for (McpSchema.ResourceTemplate template : offered.templates()) {
                String uri = ResourceUris.exposed(prefix, template.uriTemplate());
                wantedTemplates.put(uri, new Exposed<>(new McpSchema.ResourceTemplate(uri, template.name(),
                        template.title(), template.description(), template.mimeType(), template.annotations(),
                        template.meta(), template.icons()), new Target(one.installId(), prefix, template.uriTemplate())));
            }
        }
        follow(tools, wantedTools, server::removeTool, (name, tool) -> server.addTool(new SyncToolSpecification(
                tool.item(), (exchange, request) -> forwarder.call(exchange, tool.target().installId(),
                        tool.target().name(), request))));
        follow(prompts, wantedPrompts, server::removePrompt, (name, prompt) -> server.addPrompt(
                new SyncPromptSpecification(prompt.item(), (exchange, request) -> forwarder.forward(exchange,
                        prompt.target().installId(), one -> one.client().getPrompt(new McpSchema.GetPromptRequest(
                                prompt.target().name(), request.arguments(), request.meta()))))));
        follow(resources, wantedResources, server::removeResource, (uri, resource) -> server.addResource(
                new SyncResourceSpecification(resource.item(), (exchange, request) -> read(exchange, resource, request))));
        follow(templates, wantedTemplates, server::removeResourceTemplate, (uri, template) -> server.addResourceTemplate(
                new SyncResourceTemplateSpecification(template.item(), (exchange, request) -> read(exchange, template, request))));
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

    /** Reads the server's own URI behind the exposed one; the contents come back with exposed URIs. */
    private McpSchema.ReadResourceResult read(McpSyncServerExchange exchange, Exposed<?> source,
            McpSchema.ReadResourceRequest request) {
        String prefix = source.target().prefix();
        String uri = ResourceUris.parse(request.uri()).filter(parts -> parts.prefix().equals(prefix))
                .map(ResourceUris.Parts::uri).orElse(source.target().name());
        return ResourceUris.exposedContents(prefix, forwarder.forward(exchange, source.target().installId(),
                running -> running.client().readResource(new McpSchema.ReadResourceRequest(uri, request.meta()))));
    }

    /**
     * What a list request answers to {@code client}, for the lists the SDK's server cannot filter
     * per client (prompts, resources, resource templates); empty for any other method.
     */
    Optional<Object> listFor(GatewayClient client, String method) {
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

    /** Whether the calling client sees {@code tool} (the SDK's tool filter). */
    boolean visible(McpTransportContext context, Tool tool) {
        Exposed<Tool> exposed = tools.get(tool.name());
        Object client = context.get(Gateway.CLIENT);
        return exposed != null && client instanceof GatewayClient caller && caller.mayUse(exposed.target().installId());
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

    @Override
    public void close() {
        lists.close();
        syncer.shutdownNow();
    }
}
