package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.runtime.RunningServers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the gateway keeps its lists: per server, on each server's list_changed, and a hung server delaying no other. */
class GatewayListsTest {

    /** Answers initialize, says its tools changed, and never answers anything else. */
    private static final String HUNG_SERVER = """
            const lines = require('readline').createInterface({ input: process.stdin });
            const send = message => process.stdout.write(JSON.stringify(message) + '\\n');
            lines.on('line', line => {
              const message = JSON.parse(line);
              if (message.method === 'initialize') {
                send({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: message.params.protocolVersion,
                  capabilities: { tools: { listChanged: true }, prompts: {}, resources: {} },
                  serverInfo: { name: 'hung', version: '1' } } });
              } else if (message.method === 'notifications/initialized') {
                send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
              }
            });
            """;

    @TempDir
    Path dataDir;

    private GatewayHarness harness;
    private final List<McpSyncClient> opened = new ArrayList<>();

    @AfterEach
    void stop() {
        opened.forEach(McpSyncClient::closeGracefully);
        harness.close();
    }

    private McpSyncClient connect() {
        McpSyncClient client = harness.client(harness.clients.create("test", null, null).token());
        opened.add(client);
        return client;
    }

    @Test
    void one_hung_server_never_delays_another_servers_tools() throws Exception {
        harness = new GatewayHarness(dataDir);
        Path script = Files.writeString(dataDir.resolve("hung-server.js"), HUNG_SERVER);
        Install hung = harness.installs.install(new InstallRequest("modelcontextprotocol__everything", Map.of(), AuthMethod.NONE));
        harness.servers.startUnlisted(hung.id(), hung.displayName(), "node", script.toString());
        harness.markRunning(hung.id());
        McpSyncClient client = connect();
        Install second = harness.installs.install(new InstallRequest("modelcontextprotocol__everything", Map.of(), AuthMethod.NONE));
        harness.servers.start(second.id(), second.displayName());
        String echo = "everything-" + second.id().replace("-", "").substring(0, 4) + "__echo";

        long since = System.nanoTime();
        harness.markRunning(second.id());
        awaitUntil(() -> client.listTools().tools().stream().anyMatch(tool -> tool.name().equals(echo)));

        // The hung server's lists wait for their time limit (10 s); the other server's tools do not.
        assertThat(Duration.ofNanos(System.nanoTime() - since)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void a_resource_a_server_adds_later_is_offered_after_its_list_changed() throws Exception {
        harness = new GatewayHarness(dataDir);
        harness.runEverything();
        McpSyncClient client = connect();
        String uri = "latchkey://everything/demo://resource/session/note.gz";
        assertThat(client.listResources().resources()).extracting(McpSchema.Resource::uri).doesNotContain(uri);

        client.callTool(new CallToolRequest("everything__gzip-file-as-resource", gzip("note.gz", "hello")));

        awaitUntil(() -> client.listResources().resources().stream().anyMatch(resource -> resource.uri().equals(uri)));
        McpSchema.ReadResourceResult read = client.readResource(new McpSchema.ReadResourceRequest(uri));
        assertThat(read.contents()).extracting(McpSchema.ResourceContents::uri).containsExactly(uri);
        assertThat(gunzip(read)).isEqualTo("hello");
    }

    @Test
    void two_installs_listing_one_uri_offer_two_resources_each_read_from_its_own_server() throws Exception {
        harness = new GatewayHarness(dataDir);
        harness.runEverything();
        Install second = harness.runEverything();
        McpSyncClient client = connect();
        String secondPrefix = "everything-" + second.id().replace("-", "").substring(0, 4);
        client.callTool(new CallToolRequest("everything__gzip-file-as-resource", gzip("same.gz", "from the first")));
        client.callTool(new CallToolRequest(secondPrefix + "__gzip-file-as-resource", gzip("same.gz", "from the second")));
        String first = "latchkey://everything/demo://resource/session/same.gz";
        String other = "latchkey://" + secondPrefix + "/demo://resource/session/same.gz";

        awaitUntil(() -> client.listResources().resources().stream().map(McpSchema.Resource::uri).toList()
                .containsAll(List.of(first, other)));

        assertThat(gunzip(client.readResource(new McpSchema.ReadResourceRequest(first)))).isEqualTo("from the first");
        assertThat(gunzip(client.readResource(new McpSchema.ReadResourceRequest(other)))).isEqualTo("from the second");
    }

    @Test
    void syncs_asked_for_while_one_runs_are_coalesced_into_one() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger syncs = new AtomicInteger();
        harness = new GatewayHarness(dataDir, servers -> new RunningServers() {
            @Override
            public List<RunningServer> running() {
                if (syncs.incrementAndGet() == 2) {
                    await(release); // the first sync after start holds, while 100 more are asked for
                }
                return servers.running();
            }

            @Override
            public Optional<RunningServer> find(String installId) {
                return servers.find(installId);
            }

            @Override
            public CallPermit admit(String installId) {
                return servers.admit(installId);
            }
        });
        CompletableFuture<Void> held = harness.gateway.refresh();
        awaitUntil(() -> syncs.get() == 2);
        List<CompletableFuture<Void>> asked = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            asked.add(harness.gateway.refresh());
        }

        release.countDown();
        held.get(10, TimeUnit.SECONDS);
        CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(syncs.get()).as("the start's sync, the held one, and one for all 100 asked meanwhile").isEqualTo(3);
    }

    private static Map<String, Object> gzip(String name, String text) {
        return Map.of("name", name, "outputType", "resourceLink",
                "data", "data:text/plain;base64," + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String gunzip(McpSchema.ReadResourceResult read) throws Exception {
        byte[] blob = Base64.getDecoder().decode(((McpSchema.BlobResourceContents) read.contents().get(0)).blob());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(blob))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the condition did not hold within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
