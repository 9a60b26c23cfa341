package dev.latchkey.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.api.ApiClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/remote-sessions.sh}: what {@link SessionTransport} costs a caller of the gateway, against
 * a real MCP server on the Java SDK's servlet transport ({@link SessionServer}), all local: (1) the p50
 * of an {@code echo} call, (2) the p50 of the same call right after the server forgot the session (a
 * new session is made under it), (3) the median time until a call whose answer stream ended empty
 * fails with its sentence.
 */
public final class SessionBenchmark {

    private SessionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int renewals = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        ObjectMapper json = new ObjectMapper();
        try (SessionServer remote = new SessionServer(SessionServer.Guard.OPEN);
                Backend backend = Backend.start(AppConfig.of(Files.createTempDirectory("sessions-bench")))) {
            ApiClient api = new ApiClient(backend.port(), backend.secret());
            String id = json.readTree(api.post("/api/installs", json.writeValueAsString(
                    Map.of("remoteUrl", remote.url().toString(), "displayName", "Sessions"))).body()).get("id").asText();
            while (!api.install(id).get("status").asText().equals("running")) {
                Thread.sleep(2);
            }
            String token = json.readTree(api.post("/api/clients", "{\"name\":\"bench\"}").body()).get("token").asText();
            McpSyncClient gateway = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + backend.port())
                    .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build())
                    .requestTimeout(Duration.ofSeconds(60)).build();
            gateway.initialize();
            for (int i = 0; i < 200; i++) {
                echo(gateway);
            }
            List<Double> plain = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                plain.add(echo(gateway));
            }
            List<Double> renewed = new ArrayList<>();
            for (int i = 0; i < renewals; i++) {
                remote.forgetSessions();
                renewed.add(echo(gateway));
            }
            List<Double> ended = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                try {
                    gateway.callTool(new McpSchema.CallToolRequest("sessions__hang_up", Map.of()));
                } catch (RuntimeException expected) {
                    ended.add((System.nanoTime() - start) / 1e6);
                }
            }
            System.out.printf("echo through the gateway, p50 of %d: %.2f ms%n", plain.size(), median(plain));
            System.out.printf("echo right after the server forgot the session, p50 of %d: %.2f ms (%d initializes)%n",
                    renewed.size(), median(renewed), remote.initializes.get());
            System.out.printf("a call whose answer stream ended empty fails after, median of %d: %.0f ms%n",
                    ended.size(), median(ended));
            gateway.closeGracefully();
        }
        System.exit(0); // each forgotten session's SDK server leaves a non-daemon session sweeper behind
    }

    private static double echo(McpSyncClient gateway) {
        long start = System.nanoTime();
        gateway.callTool(new McpSchema.CallToolRequest("sessions__echo", Map.of("message", "x")));
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
