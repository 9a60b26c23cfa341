package dev.latchkey.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.api.ApiClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The app side of {@link HostileServerTest}, run as a program of its own so that the test can
 * start it as root and as a user who is not: the whole backend on {@code DATA_DIR} (sandbox
 * required), two installs of the hostile server from the user's catalog folder ("victim" with the
 * network, "hostile" without it and with {@code GRANTED} granted), then each attempt through the
 * gateway's tools. Prints one JSON object: the attempts' outcomes by name, the installs as the API
 * shows them, the app's pid.
 *
 * <p>Arguments: {@code DATA_DIR HOME GRANTED SERVER_JS}.
 */
public final class HostileRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HostileRun() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        Path home = Path.of(args[1]);
        Path granted = Path.of(args[2]);
        Path script = Path.of(args[3]);
        Files.createDirectories(dataDir.resolve("catalog"));
        for (String name : new String[] {"hostile", "victim"}) {
            Files.writeString(dataDir.resolve("catalog/test__" + name + ".json"), """
                    {"name": "test__%s", "display_name": "%s",
                     "server": {"command": "node", "args": ["%s"]},
                     "user_config": {"granted": {"type": "directory", "title": "Granted", "required": false}}}
                    """.formatted(name, name, script));
        }
        // A package npx installed for another install earlier: runnable by all, changeable by none.
        Path planted = dataDir.resolve("cache/npm/_npx/0123abcd/node_modules/other-server/index.js");
        Files.createDirectories(planted.getParent());
        Files.writeString(planted, "console.log('the real package')");
        AppConfig config = new AppConfig(dataDir, 0, AppConfig.DEFAULT_PROXY_URL, AppConfig.DEFAULT_REFRESH_MARGIN,
                AppConfig.DEFAULT_TOOL_CALL_TIMEOUT, true);
        ObjectNode out = JSON.createObjectNode();
        try (Backend backend = Backend.start(config); ServerSocket listener = new ServerSocket(0, 5,
                java.net.InetAddress.getLoopbackAddress())) {
            ApiClient api = new ApiClient(backend.port(), backend.secret());
            String victim = install(api, "{\"catalogName\": \"test__victim\", \"auth\": \"none\"}");
            String hostile = install(api, "{\"catalogName\": \"test__hostile\", \"auth\": \"none\", \"network\": false,"
                    + " \"userConfig\": {\"granted\": " + JSON.writeValueAsString(granted.toString()) + "}}");
            out.set("hostile", InstallWait.until(() -> api.install(hostile), "running"));
            out.set("victim", InstallWait.until(() -> api.install(victim), "running"));
            Files.writeString(config.installDir(victim).resolve("secret.txt"), "the victim's own file");
            McpSyncClient gateway = gateway(api, backend.port());
            Path data = dataDir;
            Map<String, Map<String, Object>> attempts = new LinkedHashMap<>();
            attempts.put("vault_key", Map.of("action", "read", "path", data.resolve("vault.key").toString()));
            attempts.put("database", Map.of("action", "read", "path", data.resolve("latchkey.mv.db").toString()));
            attempts.put("instance_json", Map.of("action", "read", "path", data.resolve("instance.json").toString()));
            attempts.put("gateway_json", Map.of("action", "read", "path", data.resolve("gateway.json").toString()));
            attempts.put("list_data_dir", Map.of("action", "list", "path", data.toString()));
            attempts.put("list_installs", Map.of("action", "list", "path", data.resolve("installs").toString()));
            attempts.put("ssh_key", Map.of("action", "read", "path", home.resolve(".ssh/id_ed25519").toString()));
            attempts.put("list_home", Map.of("action", "list", "path", home.toString()));
            attempts.put("other_read", Map.of("action", "read", "path", config.installDir(victim).resolve("secret.txt").toString()));
            attempts.put("other_write", Map.of("action", "write", "path", config.installDir(victim).resolve("pwned.txt").toString()));
            attempts.put("granted_read", Map.of("action", "read", "path", granted.resolve("hello.txt").toString()));
            attempts.put("granted_write", Map.of("action", "write", "path", granted.resolve("made-by-server.txt").toString()));
            attempts.put("home_write", Map.of("action", "write", "path", home.resolve("pwned.txt").toString()));
            attempts.put("tmp_write", Map.of("action", "write", "path", "/tmp/latchkey-hostile-pwned.txt"));
            attempts.put("etc_shadow", Map.of("action", "read", "path", "/etc/shadow"));
            attempts.put("own_home_write", Map.of("action", "write", "path", config.installDir(hostile).resolve("notes.txt").toString()));
            attempts.put("cache_package_read", Map.of("action", "read", "path", planted.toString()));
            attempts.put("cache_package_write", Map.of("action", "write", "path", planted.toString()));
            attempts.put("procs", Map.of("action", "procs"));
            attempts.put("app_environ", Map.of("action", "environ", "path", Long.toString(ProcessHandle.current().pid())));
            attempts.put("pid1_environ", Map.of("action", "environ", "path", "1"));
            attempts.put("own_env", Map.of("action", "env"));
            attempts.put("connect", Map.of("action", "connect", "host", "127.0.0.1", "port", listener.getLocalPort()));
            ObjectNode results = out.putObject("results");
            for (Map.Entry<String, Map<String, Object>> attempt : attempts.entrySet()) {
                results.set(attempt.getKey(), call(gateway, "hostile__attempt", attempt.getValue()));
            }
            results.set("victim_connect", call(gateway, "victim__attempt", attempts.get("connect")));
            results.set("victim_own_read", call(gateway, "victim__attempt", attempts.get("other_read")));
            out.put("appPid", ProcessHandle.current().pid());
            out.put("victimDir", config.installDir(victim).toString());
            out.put("planted", Files.readString(planted));
            gateway.closeGracefully();
        }
        System.out.println("RESULT " + JSON.writeValueAsString(out));
        System.exit(0); // the MCP client's schedulers are not daemons
    }

    private static String install(ApiClient api, String body) throws Exception {
        var created = api.post("/api/installs", body);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("install refused: " + created.statusCode() + " " + created.body());
        }
        return JSON.readTree(created.body()).get("id").asText();
    }

    private static McpSyncClient gateway(ApiClient api, int port) throws Exception {
        String token = JSON.readTree(api.post("/api/clients", "{\"name\":\"hostile test\"}").body()).get("token").asText();
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                        .endpoint("/mcp")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                        .build())
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        return client;
    }

    private static JsonNode call(McpSyncClient gateway, String tool, Map<String, Object> arguments) throws Exception {
        McpSchema.CallToolResult result = gateway.callTool(new McpSchema.CallToolRequest(tool, arguments));
        return JSON.readTree(((McpSchema.TextContent) result.content().get(0)).text());
    }
}
