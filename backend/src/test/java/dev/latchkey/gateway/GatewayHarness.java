package dev.latchkey.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.latchkey.AppConfig;
import dev.latchkey.api.ApiServer;
import dev.latchkey.api.PageSessions;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallRequest;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.launch.LaunchSpecs;
import dev.latchkey.oauth.OAuthService;
import dev.latchkey.oauth.PendingFlows;
import dev.latchkey.oauth.ProxyClient;
import dev.latchkey.provider.ProviderRegistry;
import dev.latchkey.runtime.McpRuntime;
import dev.latchkey.runtime.RunningServers;
import dev.latchkey.runtime.RuntimeSettings;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.net.http.HttpRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.time.Instant;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.function.UnaryOperator;

/**
 * The backend's parts as {@code Backend.start} joins them — a real H2 file, the real HTTP server
 * with {@code /mcp} — with {@link EverythingServers} as the running servers, and installs moved
 * to {@code running} and back the way the runtime moves them.
 */
public final class GatewayHarness implements AutoCloseable {

    public final Database database;
    public final InstallEvents events = new InstallEvents();
    public final InstallStore store;
    public final InstallService installs;
    public final ClientService clients;
    public final EverythingServers servers = new EverythingServers();
    /** The real MCP runtime behind the gateway ({@link #withRuntime}), else null. */
    public final McpRuntime runtime;
    public final Gateway gateway;
    public final ApiServer server;
    public final String secret = "test-api-secret";

    public GatewayHarness(Path dataDir) {
        this(dataDir, null, servers -> servers);
    }

    /** The gateway reads the running servers through {@code wrap} (around {@link EverythingServers}). */
    public GatewayHarness(Path dataDir, UnaryOperator<RunningServers> wrap) {
        this(dataDir, null, wrap);
    }

    /** The gateway in front of the real MCP runtime, which starts the servers of the catalog in the data dir. */
    public static GatewayHarness withRuntime(Path dataDir, RuntimeSettings settings) {
        return new GatewayHarness(dataDir, settings, servers -> servers);
    }

    private GatewayHarness(Path dataDir, RuntimeSettings settings, UnaryOperator<RunningServers> wrap) {
        database = Database.open(dataDir);
        SecretVault vault = SecretVault.open(dataDir);
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        Clock clock = Clock.systemUTC();
        Catalog catalog = Catalog.load(dataDir.resolve("catalog"));
        store = new InstallStore(database, vault, json, clock);
        installs = new InstallService(catalog, store, events, clock);
        clients = new ClientService(database, installs, clock);
        ProviderRegistry providers = ProviderRegistry.load(dataDir.resolve("providers"));
        LaunchSpecs launchSpecs = new LaunchSpecs(catalog, providers, store, id -> dataDir.resolve("installs").resolve(id));
        runtime = settings == null ? null
                : new McpRuntime(AppConfig.of(dataDir), installs, launchSpecs, events, settings, System.getenv(), clock);
        gateway = new Gateway(wrap.apply(runtime != null ? runtime : servers), installs, events, clients);
        // No OAuth proxy in these tests: nothing listens on the discard port.
        OAuthService oauth = new OAuthService(catalog, providers, installs, store, new PendingFlows(database, vault),
                new ProxyClient(URI.create("http://127.0.0.1:9")), () -> 0, clock);
        server = ApiServer.start(new ApiServer.Services(catalog, providers, installs, events, clients, gateway, oauth,
                launchSpecs, runtime, new ClientConnector(clients, dataDir.resolve("home"), false, java.util.List.of("latchkey", "mcp"))),
                json, secret, new PageSessions(clock), 0);
        // Without the MCP runtime (null), the harness starts servers itself and marks them running.
    }

    /** Marks an install whose server the test started as running, the way a start does: starting, then running. */
    public void markRunning(String installId) {
        installs.transition(installId, InstallStatus.STARTING, "started by the test");
        installs.transition(installId, InstallStatus.RUNNING, "test");
    }

    /** Installs server-everything, starts it, and marks it running; returns the install. */
    public Install runEverything() {
        Install install = installs.install(new InstallRequest("modelcontextprotocol__everything", Map.of(), AuthMethod.NONE));
        servers.start(install.id(), install.displayName());
        markRunning(install.id());
        gateway.refresh().join();
        awaitPrompts(install.id());
        return install;
    }

    /**
     * Waits until the gateway offers prompts of an install's server: it asks a server for its
     * prompts, resources and templates in the background once it sees it, and offers all three at once.
     */
    public void awaitPrompts(String installId) {
        GatewayClient onlyThis = new GatewayClient("harness", "harness", null, false, Set.of(installId), Instant.now(),
                null, null, 0);
        Instant deadline = Instant.now().plusSeconds(30);
        while (((McpSchema.ListPromptsResult) gateway.listFor(onlyThis, McpSchema.METHOD_PROMPT_LIST).orElseThrow())
                .prompts().isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the gateway offered no prompts of install " + installId + " within 30 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops an install's server and marks it stopped, as the runtime does. */
    public void stop(String installId) {
        servers.stop(installId);
        installs.transition(installId, InstallStatus.STOPPED, "stopped by the test");
    }

    public String mcpUrl() {
        return "http://127.0.0.1:" + server.port() + "/mcp";
    }

    /** An initialized MCP SDK client of the gateway, sending {@code token}. */
    public McpSyncClient client(String token) {
        return client(token, McpClient.sync(transport(token)));
    }

    public HttpClientStreamableHttpTransport transport(String token) {
        return HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
    }

    public McpSyncClient client(String token, McpClient.SyncSpec spec) {
        McpSyncClient client = spec.requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    @Override
    public void close() {
        server.close();
        gateway.close();
        if (runtime != null) {
            runtime.close();
        }
        servers.close();
        database.close();
    }
}
