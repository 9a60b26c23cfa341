package dev.latchkey.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.api.ApiClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code bench/remote.sh}: (1) a remote server's URL entered → its tools listed, through the whole
 * app: probe, discovery, registration (the first run; later runs reuse the client), the sign-in
 * with an auto-approving authorization server through the one-time link and the loopback callback,
 * the token, initialize and tools/list, until the install is {@code running}; median of RUNS.
 * (2) the added p50 of server-everything's {@code echo} through the gateway over the same call
 * made directly to server-everything over Streamable HTTP (added by URL with no sign-in),
 * alternating blocks of 100. Everything is local: part 1's server sits behind {@link GuardedRelay}.
 */
public final class RemoteBenchmark {

    private RemoteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        ObjectMapper json = new ObjectMapper();
        Set<String> issued = ConcurrentHashMap.newKeySet();
        Path dataDir = Files.createTempDirectory("remote-bench");
        try (EverythingOverHttp everything = EverythingOverHttp.start("streamableHttp"); FakeSite site = new FakeSite()) {
            String o = site.url("").toString();
            site.on("/.well-known/oauth-protected-resource/mcp", FakeSite.Answer.json(
                    "{\"resource\":\"" + o + "/mcp\",\"authorization_servers\":[\"" + o + "\"]}"));
            site.on("/.well-known/oauth-authorization-server", FakeSite.Answer.json("{\"issuer\":\"" + o + "\","
                    + "\"authorization_endpoint\":\"" + o + "/authorize\",\"token_endpoint\":\"" + o + "/token\","
                    + "\"registration_endpoint\":\"" + o + "/register\",\"code_challenge_methods_supported\":[\"S256\"]}"));
            site.on("/register", FakeSite.Answer.status(201, "{\"client_id\":\"bench\"}"));
            site.on("/authorize", (m, query, b) -> {
                Map<String, String> p = LoopbackCallback.query(query);
                return new FakeSite.Answer(302, Map.of("Location", p.get("redirect_uri") + "?code=c&state="
                        + AuthHttp.encode(p.get("state"))), "", 0);
            });
            site.on("/token", (m, q, b) -> {
                String token = "t-" + System.nanoTime();
                issued.add(token);
                return FakeSite.Answer.json("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
            });
            site.onRaw("/mcp", new GuardedRelay(everything.url(), () -> issued, site.url("/.well-known/oauth-protected-resource/mcp")));
            try (Backend backend = Backend.start(AppConfig.of(dataDir))) {
                ApiClient api = new ApiClient(backend.port(), backend.secret());
                HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
                List<Double> times = new ArrayList<>();
                String kept = null;
                for (int run = 0; run <= runs; run++) {
                    long start = System.nanoTime();
                    JsonNode created = json.readTree(api.post("/api/installs", json.writeValueAsString(
                            Map.of("remoteUrl", o + "/mcp", "displayName", "Bench " + run))).body());
                    browser.send(HttpRequest.newBuilder(URI.create(created.get("signInUrl").asText())).build(),
                            HttpResponse.BodyHandlers.discarding());
                    String id = created.get("id").asText();
                    while (!api.install(id).get("status").asText().equals("running")) {
                        Thread.sleep(2);
                    }
                    double ms = (System.nanoTime() - start) / 1e6;
                    System.out.printf("run %d: URL entered → tools listed %.1f ms%s%n", run, ms, run == 0 ? " (registers the client)" : "");
                    if (run > 0) {
                        times.add(ms);
                    }
                    if (run < runs) {
                        api.delete("/api/installs/" + id);
                    } else {
                        kept = id;
                    }
                }
                Collections.sort(times);
                System.out.printf("URL entered → tools listed, median of %d (client reused): %.1f ms (min %.1f, max %.1f)%n",
                        runs, median(times), times.get(0), times.get(times.size() - 1));
                // The overhead part calls server-everything itself, added by URL with no sign-in in front:
                // the relay of part 1 (a JDK HttpServer) would weigh more than what is measured.
                JsonNode plain = json.readTree(api.post("/api/installs", json.writeValueAsString(
                        Map.of("remoteUrl", everything.url().toString(), "displayName", "Plain"))).body());
                while (!api.install(plain.get("id").asText()).get("status").asText().equals("running")) {
                    Thread.sleep(2);
                }
                gatewayOverhead(backend, api, json, everything.url(), "plain", calls);
            }
        }
        System.exit(0); // the gateway's SDK server transport leaves its non-daemon session sweeper behind
    }

    private static void gatewayOverhead(Backend backend, ApiClient api, ObjectMapper json, URI remote, String prefix,
            int calls) throws Exception {
        String clientToken = json.readTree(api.post("/api/clients", "{\"name\":\"bench\"}").body()).get("token").asText();
        McpSyncClient gateway = client("http://127.0.0.1:" + backend.port(), "/mcp", clientToken);
        McpSyncClient direct = client(remote.getScheme() + "://" + remote.getRawAuthority(), remote.getRawPath(), "none");
        List<Double> viaGateway = new ArrayList<>();
        List<Double> viaDirect = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            echo(gateway, prefix + "__echo");
            echo(direct, "echo");
        }
        for (int block = 0; block < calls / 100; block++) {
            for (int i = 0; i < 100; i++) {
                viaDirect.add(echo(direct, "echo"));
            }
            for (int i = 0; i < 100; i++) {
                viaGateway.add(echo(gateway, prefix + "__echo"));
            }
        }
        Collections.sort(viaGateway);
        Collections.sort(viaDirect);
        System.out.printf("echo p50: direct %.3f ms, through the gateway %.3f ms, added %.3f ms (%d calls each)%n",
                median(viaDirect), median(viaGateway), median(viaGateway) - median(viaDirect), viaGateway.size());
        gateway.closeGracefully();
        direct.closeGracefully();
    }

    private static McpSyncClient client(String base, String path, String token) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(base).endpoint(path)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    private static double echo(McpSyncClient client, String tool) {
        long start = System.nanoTime();
        client.callTool(new McpSchema.CallToolRequest(tool, Map.of("message", "x")));
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
