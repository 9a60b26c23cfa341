package dev.latchkey.gateway;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
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
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code latchkey mcp}: an MCP server on stdin/stdout (the SDK's stdio transport) for clients that
 * only start processes, forwarding everything to the running app's gateway over Streamable HTTP
 * (the SDK's client). The gateway's tool list is mirrored, changes included; calls, prompts,
 * resources and resource templates are passed on and their answers, errors included, passed back.
 */
public final class StdioBridge {

    private static final JsonSchemaValidator PASS_THROUGH = (schema, content) ->
            JsonSchemaValidator.ValidationResponse.asValid(null);

    private final McpSyncClient gateway;
    private McpSyncServer local;
    private final Set<String> mirrored = new HashSet<>();

    private StdioBridge(McpSyncClient gateway) {
        this.gateway = gateway;
    }

    /**
     * Connects to the gateway at {@code url} with {@code token} (failing at once when it does not
     * answer or refuses the token), then serves {@code in}/{@code out} until {@code in} ends.
     */
    public static void run(URI url, String token, InputStream in, OutputStream out) throws InterruptedException {
        StdioBridge[] bridge = new StdioBridge[1];
        McpSyncClient gateway = McpClient.sync(HttpClientStreamableHttpTransport.builder(url.resolve("/").toString())
                        .endpoint(url.getPath())
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                        .build())
                .clientInfo(new McpSchema.Implementation("latchkey-mcp", "0.1.0"))
                .requestTimeout(Duration.ofMinutes(10))
                .toolsChangeConsumer(tools -> {
                    if (bridge[0] != null && bridge[0].local != null) {
                        bridge[0].mirror(tools);
                    }
                })
                .build();
        try {
            gateway.initialize();
            CountDownLatch ended = new CountDownLatch(1);
            bridge[0] = new StdioBridge(gateway);
            bridge[0].serve(new EndAware(in, ended), out);
            ended.await();
            bridge[0].local.close();
        } finally {
            gateway.close();
        }
    }

    /**
     * Starts the local server with what the gateway offers now, given to the builder: adding tools
     * to a started server would notify a client that has not yet said hello.
     */
    private void serve(InputStream in, OutputStream out) {
        List<Tool> tools = gateway.listTools().tools();
        McpSchema.ServerCapabilities capabilities = gateway.getServerCapabilities();
        List<SyncPromptSpecification> prompts = capabilities.prompts() == null ? List.of()
                : gateway.listPrompts().prompts().stream().map(prompt -> new SyncPromptSpecification(prompt,
                        (exchange, request) -> gateway.getPrompt(request))).toList();
        List<SyncResourceSpecification> resources = capabilities.resources() == null ? List.of()
                : gateway.listResources().resources().stream().map(resource -> new SyncResourceSpecification(resource,
                        (exchange, request) -> gateway.readResource(request))).toList();
        List<SyncResourceTemplateSpecification> templates = capabilities.resources() == null ? List.of()
                : gateway.listResourceTemplates().resourceTemplates().stream().map(template ->
                        new SyncResourceTemplateSpecification(template, (exchange, request) -> gateway.readResource(request)))
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
        return new SyncToolSpecification(tool, (exchange, request) -> gateway.callTool(request));
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
