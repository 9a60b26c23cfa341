package dev.latchkey.gateway;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code latchkey mcp}: an MCP server on stdin/stdout (the SDK's stdio transport) for clients that
 * only start processes, forwarding everything to the running app's gateway over Streamable HTTP
 * (the SDK's client). The gateway's tool list is mirrored, changes included; calls, prompts,
 * resources and resource templates are passed on and their answers, errors included, passed back.
 * When the app restarts, the bridge follows it to its new port ({@link GatewayLink}) and the
 * client hears the new tool list; the client never has to start the bridge again. A client token
 * the gateway refuses ends the bridge ({@link TokenRefusedException}): its client then hears at once
 * that the process ended, instead of waiting out its own timeout on calls that can never succeed.
 */
public final class StdioBridge {

    private static final JsonSchemaValidator PASS_THROUGH = (schema, content) ->
            JsonSchemaValidator.ValidationResponse.asValid(null);

    /** Where the gateway is and the client token to show it; its text never holds the token. */
    public record Endpoint(URI url, String token) {
        @Override
        public String toString() {
            return "Endpoint[url=" + url + ", token=…]";
        }
    }

    private GatewayLink gateway;
    private McpSyncServer local;
    private final Set<String> mirrored = new HashSet<>();

    private StdioBridge() {
    }

    /**
     * The gateway of the app running on {@code dataDir}, read from its {@code gateway.json} each
     * time it is asked (the app writes it anew at every start); {@code token}, when not null,
     * replaces the bridge token the file holds.
     */
    public static Supplier<Optional<Endpoint>> endpoints(Path dataDir, String token) {
        return () -> GatewayFile.read(dataDir).map(file -> new Endpoint(file.url(),
                token == null ? file.clientToken() : token));
    }

    /** Serves {@code in}/{@code out} forwarding to the gateway at {@code url} with {@code token}, which never moves. */
    public static void run(URI url, String token, InputStream in, OutputStream out) throws InterruptedException {
        run(() -> Optional.of(new Endpoint(url, token)), in, out);
    }

    /**
     * Connects to the gateway {@code endpoints} names (failing at once when it names none, or the
     * gateway does not answer, or refuses the token: {@link TokenRefusedException}), then serves
     * {@code in}/{@code out} until {@code in} ends, following the gateway to wherever {@code endpoints}
     * names next; a token refused on the way ends it with {@link TokenRefusedException} too.
     */
    public static void run(Supplier<Optional<Endpoint>> endpoints, InputStream in, OutputStream out)
            throws InterruptedException {
        StdioBridge bridge = new StdioBridge();
        CountDownLatch ended = new CountDownLatch(1);
        AtomicBoolean refused = new AtomicBoolean();
        try (GatewayLink gateway = new GatewayLink(endpoints, tools -> {
            if (bridge.local != null) {
                bridge.mirror(tools);
            }
        }, () -> {
            refused.set(true);
            ended.countDown();
        })) {
            bridge.gateway = gateway;
            bridge.serve(new EndAware(in, ended), out);
            ended.await();
            bridge.local.close();
        }
        if (refused.get()) {
            throw new TokenRefusedException(null);
        }
    }

    /**
     * Starts the local server with what the gateway offers now, given to the builder: adding tools
     * to a started server would notify a client that has not yet said hello.
     */
    private void serve(InputStream in, OutputStream out) {
        McpSyncClient first = gateway.client();
        List<Tool> tools = first.listTools().tools();
        McpSchema.ServerCapabilities capabilities = first.getServerCapabilities();
        List<SyncPromptSpecification> prompts = capabilities.prompts() == null ? List.of()
                : first.listPrompts().prompts().stream().map(prompt -> new SyncPromptSpecification(prompt,
                        (exchange, request) -> gateway.request(client -> client.getPrompt(request)))).toList();
        List<SyncResourceSpecification> resources = capabilities.resources() == null ? List.of()
                : first.listResources().resources().stream().map(resource -> new SyncResourceSpecification(resource,
                        (exchange, request) -> gateway.request(client -> client.readResource(request)))).toList();
        List<SyncResourceTemplateSpecification> templates = capabilities.resources() == null ? List.of()
                : first.listResourceTemplates().resourceTemplates().stream().map(template ->
                        new SyncResourceTemplateSpecification(template,
                                (exchange, request) -> gateway.request(client -> client.readResource(request))))
                        .toList();
        tools.forEach(tool -> mirrored.add(tool.name()));
        local = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), in, out))
                .serverInfo("latchkey", "0.1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).prompts(true).resources(false, true).build())
                .jsonSchemaValidator(PASS_THROUGH)
                .validateToolInputs(false)
                .tools(tools.stream().map(this::forwarding).toList())
                .prompts(prompts)
                .resources(resources)
                .resourceTemplates(templates)
                .build();
    }

    private SyncToolSpecification forwarding(Tool tool) {
        return new SyncToolSpecification(tool, (exchange, request) -> gateway.request(client -> client.callTool(request)));
    }

    /** Makes the local tool list the gateway's: drops what went, adds what came. */
    private synchronized void mirror(List<Tool> tools) {
        Set<String> names = new HashSet<>();
        tools.forEach(tool -> names.add(tool.name()));
        for (String name : Set.copyOf(mirrored)) {
            if (!names.contains(name)) {
                mirrored.remove(name);
                local.removeTool(name);
            }
        }
        for (Tool tool : tools) {
            mirrored.add(tool.name());
            local.addTool(forwarding(tool));
        }
    }

    /** stdin that says when it has ended: the client closed it, and the bridge may stop. */
    private static final class EndAware extends FilterInputStream {

        private final CountDownLatch ended;

        EndAware(InputStream in, CountDownLatch ended) {
            super(in);
            this.ended = ended;
        }

        @Override
        public int read() throws IOException {
            return ended(super.read());
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return ended(super.read(buffer, offset, length));
        }

        private int ended(int result) {
            if (result < 0) {
                ended.countDown();
            }
            return result;
        }
    }
}
