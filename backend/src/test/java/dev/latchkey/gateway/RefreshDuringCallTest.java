package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.NpmTools;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.runtime.RuntimeSettings;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refresh of credentials a server reads from its environment, while a client's call is under way:
 * the real runtime behind the real gateway over HTTP, server-everything as the server.
 */
class RefreshDuringCallTest {

    private static final String LONG_CALL = "everything__trigger-long-running-operation";

    @TempDir
    Path dataDir;

    private GatewayHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void a_call_under_way_survives_a_refresh_and_the_tool_list_never_vanishes() throws Exception {
        Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(dataDir.resolve("catalog/test__everything.json"), """
                {"name": "test__everything", "display_name": "Everything through GitHub",
                 "server": {"command": "node", "args": ["%s", "stdio"]},
                 "archestra_config": {"oauth": {"provider": "github", "required": true}}}
                """.formatted(NpmTools.everything()));
        harness = GatewayHarness.withRuntime(dataDir, new RuntimeSettings(Duration.ofSeconds(60), Duration.ofSeconds(60),
                List.of(Duration.ofMillis(100)), Duration.ofMinutes(1), Duration.ofSeconds(2)));
        Instant now = Instant.now();
        harness.store.insert(new Install("gh-1", "test__everything", "Everything through GitHub", AuthMethod.OAUTH, null,
                InstallStatus.CONNECTING, null, null, Map.of(), now, now), Map.of(), Map.of());
        harness.installs.saveCredentials("gh-1", github("first-token"), Why.CONNECTED);
        harness.installs.transition("gh-1", InstallStatus.CONNECTED, "Signed in.");
        awaitStatus("gh-1", InstallStatus.RUNNING);
        harness.gateway.refresh().join();
        String token = harness.clients.create("watcher", null, null).token();
        List<List<String>> heard = new CopyOnWriteArrayList<>();
        McpSyncClient watcher = harness.client(token, McpClient.sync(harness.transport(token))
                .toolsChangeConsumer(tools -> heard.add(tools.stream().map(Tool::name).toList())));
        McpSyncClient caller = harness.client(token);
        assertThat(names(watcher)).contains("everything__echo", LONG_CALL);

        CompletableFuture<CallToolResult> underWay = CompletableFuture.supplyAsync(() -> caller.callTool(
                new CallToolRequest(LONG_CALL, Map.of("duration", 4, "steps", 2))));
        Thread.sleep(1000); // the call has reached the server
        harness.installs.saveCredentials("gh-1", github("second-token"), Why.REFRESHED);
        awaitLog("gh-1", "[latchkey] credentials refreshed: restarting once the calls under way are over");
        CompletableFuture<CallToolResult> waiting = CompletableFuture.supplyAsync(() -> caller.callTool(
                new CallToolRequest("everything__get-env", Map.of())));
        // What a client lists while the server drains and restarts: the tools, every time.
        List<List<String>> listed = new ArrayList<>();
        while (!waiting.isDone()) {
            listed.add(names(watcher));
            Thread.sleep(100);
        }

        assertThat(text(underWay.get(30, TimeUnit.SECONDS)))
                .isEqualTo("Long running operation completed. Duration: 4 seconds, Steps: 2.");
        // The call that came during the drain waited at the gateway and reached the restarted server.
        Map<?, ?> env = new ObjectMapper().readValue(text(waiting.get(60, TimeUnit.SECONDS)), Map.class);
        assertThat(env.get("GITHUB_PERSONAL_ACCESS_TOKEN")).isEqualTo("second-token");
        assertThat(harness.runtime.log("gh-1", 50)).anyMatch(line -> line.contains("[latchkey] stopping (pid "));
        assertThat(listed).isNotEmpty().allSatisfy(tools -> assertThat(tools).contains("everything__echo"));
        assertThat(heard).allSatisfy(tools -> assertThat(tools).contains("everything__echo"));
        assertThat(names(watcher)).contains("everything__echo", LONG_CALL);
        watcher.closeGracefully();
        caller.closeGracefully();
    }

    private void awaitStatus(String id, InstallStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (harness.installs.find(id).orElseThrow().status() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " did not become " + status.wireName() + "; it is "
                        + harness.installs.find(id).orElseThrow());
            }
            Thread.sleep(50);
        }
    }

    private void awaitLog(String id, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (harness.runtime.log(id, 200).stream().noneMatch(logged -> logged.contains(line))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + "'s log never said " + line);
            }
            Thread.sleep(20);
        }
    }

    private static List<String> names(McpSyncClient client) {
        return client.listTools().tools().stream().map(Tool::name).toList();
    }

    private static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    private static Credentials github(String token) {
        return new Credentials("github", AuthMethod.OAUTH, Map.of("accessToken", token), null, "octocat");
    }
}
