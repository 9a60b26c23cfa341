package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.api.ApiClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step-up in the app: a real MCP server ({@link SessionServer}) that lists its tools with scope
 * {@code mcp} and answers a tool call 403 {@code insufficient_scope} naming {@code tools:call},
 * behind a local authorization server that grants the scopes asked for (or, in the second case,
 * never {@code tools:call}). A call through the gateway waits, the install says what to do, the
 * user's Reconnect signs in once with both scopes, and the call goes on; a server that still
 * refuses after that ends the call with a sentence, with no second sign-in, and the install runs on.
 */
class RemoteStepUpTest {

    @TempDir
    Path dataDir;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> scopeOf = new ConcurrentHashMap<>(); // token (and code) → scope granted
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean grantsToolsCall = true;
    private FakeSite site;
    private SessionServer remote;
    private Backend backend;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        site = new FakeSite();
        String o = site.url("").toString();
        AtomicReference<URI> resourceMetadata = new AtomicReference<>();
        remote = new SessionServer((request, body, response) -> {
            String authorization = request.getHeader("Authorization");
            String scope = authorization == null ? null : scopeOf.get(authorization.substring("Bearer ".length()));
            if (scope == null) {
                response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", scope=\"mcp\", resource_metadata=\""
                        + resourceMetadata.get() + "\"");
                response.setStatus(401);
                return false;
            }
            if (body.contains("\"method\":\"tools/call\"") && !List.of(scope.split(" ")).contains("tools:call")) {
                response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"tools:call\","
                        + " resource_metadata=\"" + resourceMetadata.get() + "\", error_description=\"calls need tools:call\"");
                response.setStatus(403);
                return false;
            }
            return true;
        });
        resourceMetadata.set(URI.create(remote.url().resolve("/.well-known/oauth-protected-resource/mcp").toString()));
        remote.documents.put("/.well-known/oauth-protected-resource/mcp", "{\"resource\":\"" + remote.url()
                + "\",\"authorization_servers\":[\"" + o + "\"]}");
        site.on("/.well-known/oauth-authorization-server", FakeSite.Answer.json("{\"issuer\":\"" + o + "\","
                + "\"authorization_endpoint\":\"" + o + "/authorize\",\"token_endpoint\":\"" + o + "/token\","
                + "\"registration_endpoint\":\"" + o + "/register\",\"code_challenge_methods_supported\":[\"S256\"]}"));
        site.on("/register", FakeSite.Answer.status(201, "{\"client_id\":\"latchkey-1\"}"));
        site.on("/authorize", (method, query, body) -> {
            Map<String, String> params = LoopbackCallback.query(query);
            String code = "code-" + counter.incrementAndGet();
            String asked = params.getOrDefault("scope", "");
            scopeOf.put(code, grantsToolsCall ? asked : asked.replace("tools:call", "").strip());
            return new FakeSite.Answer(302, Map.of("Location", params.get("redirect_uri") + "?code=" + code + "&state="
                    + AuthHttp.encode(params.get("state"))), "", 0);
        });
        site.on("/token", (method, query, body) -> {
            String code = LoopbackCallback.query(body).get("code");
            String token = "tok-" + counter.incrementAndGet();
            scopeOf.put(token, scopeOf.getOrDefault(code, ""));
            return FakeSite.Answer.json("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        });
        backend = Backend.start(AppConfig.of(dataDir));
        api = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        backend.close();
        remote.close();
        site.close();
    }

    @Test
    void a_call_refused_for_scope_waits_for_one_step_up_sign_in_with_both_scopes_and_then_succeeds() throws Exception {
        String id = installAndSignIn();
        McpSyncClient gateway = gateway();
        CompletableFuture<McpSchema.CallToolResult> call = CompletableFuture.supplyAsync(() -> gateway.callTool(
                new McpSchema.CallToolRequest("stepped__echo", Map.of("message", "with more access"))));

        JsonNode waiting = until(id, "needs more access");
        assertThat(waiting.get("status").asText()).isEqualTo("running");
        assertThat(waiting.get("statusReason").asText()).isEqualTo("A call to Stepped needs more access (scope tools:call)."
                + " Press Reconnect to sign in with it; the call waits 2 minutes for you.");
        follow(json.readTree(api.post("/api/installs/" + id + "/reconnect", "{}").body()).get("signInUrl").asText());

        McpSchema.CallToolResult result = call.get();
        assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("echo: with more access");
        assertThat(authorizeScopes()).containsExactly("mcp", "mcp tools:call");
        assertThat(api.install(id).get("status").asText()).isEqualTo("running");
        gateway.closeGracefully();
    }

    @Test
    void a_server_that_still_refuses_after_the_step_up_ends_the_call_with_a_sentence_and_no_second_sign_in() throws Exception {
        grantsToolsCall = false;
        String id = installAndSignIn();
        McpSyncClient gateway = gateway();
        CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
            try {
                gateway.callTool(new McpSchema.CallToolRequest("stepped__echo", Map.of("message", "never")));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        until(id, "needs more access");
        follow(json.readTree(api.post("/api/installs/" + id + "/reconnect", "{}").body()).get("signInUrl").asText());

        String sentence = "refused the call for lack of access (HTTP 403: insufficient_scope: calls need tools:call,"
                + " scope tools:call); Latchkey asks for more access once for a call";
        assertThat(call.get()).isNotNull().hasMessageContaining(sentence);
        // Signed in with tools:call already: the next call is not held for another sign-in, it ends at once.
        CompletableFuture<Throwable> again = CompletableFuture.supplyAsync(() -> {
            try {
                gateway.callTool(new McpSchema.CallToolRequest("stepped__echo", Map.of("message", "again")));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertThat(again.get(30, java.util.concurrent.TimeUnit.SECONDS)).isNotNull().hasMessageContaining(sentence);
        assertThat(authorizeScopes()).containsExactly("mcp", "mcp tools:call");
        assertThat(api.install(id).get("status").asText()).isEqualTo("running");
        gateway.closeGracefully();
    }

    private String installAndSignIn() throws Exception {
        JsonNode created = json.readTree(api.post("/api/installs", json.writeValueAsString(
                Map.of("remoteUrl", remote.url().toString(), "displayName", "Stepped"))).body());
        assertThat(created.get("status").asText()).as(created.toString()).isEqualTo("pending_auth");
        follow(created.get("signInUrl").asText());
        String id = created.get("id").asText();
        InstallWait.until(() -> api.install(id), "running");
        return id;
    }

    /** The one-time sign-in link, followed as the system browser would (the authorization server approves at once). */
    private static void follow(String signInUrl) throws Exception {
        HttpResponse<String> page = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(URI.create(signInUrl)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    }

    private McpSyncClient gateway() throws Exception {
        String token = json.readTree(api.post("/api/clients", "{\"name\":\"step-up test\"}").body()).get("token").asText();
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + backend.port())
                .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build())
                .requestTimeout(Duration.ofMinutes(3)).build();
        client.initialize();
        return client;
    }

    private List<String> authorizeScopes() {
        return site.heard.stream().filter(h -> h.path().equals("/authorize"))
                .map(h -> LoopbackCallback.query(h.query()).getOrDefault("scope", "")).toList();
    }

    /** The install once its reason contains {@code text}, read on the app's word (the call's wait is two minutes). */
    private JsonNode until(String id, String text) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode install = api.install(id);
            if (install.path("statusReason").asText().contains(text)) {
                return install;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the install never said \"" + text + "\": " + api.install(id));
    }
}
