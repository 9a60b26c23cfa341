package dev.latchkey;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.latchkey.api.ApiServer;
import dev.latchkey.api.PageSessions;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.gateway.ClientConnector;
import dev.latchkey.gateway.ClientService;
import dev.latchkey.gateway.Gateway;
import dev.latchkey.gateway.GatewayFile;
import dev.latchkey.install.AuditLog;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStore;
import dev.latchkey.launch.LaunchSpecs;
import dev.latchkey.oauth.OAuthService;
import dev.latchkey.oauth.PendingFlows;
import dev.latchkey.oauth.ProxyClient;
import dev.latchkey.oauth.TokenRefresher;
import dev.latchkey.login.BrowserConnections;
import dev.latchkey.login.BrowserLogin;
import dev.latchkey.login.SessionChecks;
import dev.latchkey.provider.ProviderRegistry;
import dev.latchkey.remote.Remotes;
import dev.latchkey.runtime.McpRuntime;
import dev.latchkey.runtime.RuntimeSettings;
import dev.latchkey.store.DataDirLock;
import dev.latchkey.store.Database;
import dev.latchkey.store.InstanceFile;
import dev.latchkey.store.SealedValues;
import dev.latchkey.store.SecretVault;
import dev.latchkey.definition.Unguessable;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running backend: the data directory locked, the database migrated, providers and catalog
 * loaded and checked against each other, and the local API listening on 127.0.0.1.
 *
 * <p>Start-up, in order (close undoes it backwards):
 * <ol>
 *   <li>lock the data directory (or take the launcher's lock), so a second Latchkey on it stops here;</li>
 *   <li>open the database, applying the Flyway migrations, and the vault key (a key missing beside
 *       sealed secrets stops here with the file's name: never a new key over them);</li>
 *   <li>load providers and catalog (built-in, then the user's folders) and report name mismatches;</li>
 *   <li>with a login window, start browser-login connections (their sign-in threads and session health check);</li>
 *   <li>make this launch's API secret and start the HTTP server, with the MCP gateway at {@code /mcp};</li>
 *   <li>write {@code instance.json} (pid, port, API secret; {@code 0600}) for scripts and {@code latchkey url},
 *   and {@code gateway.json} (port and the stdio bridge's client token, 0600) for {@code latchkey mcp};</li>
 *   <li>prune the audit log, and start the OAuth token refresher (each round also expires old sign-ins
 *       and prunes the log again), and in the background, 5 s later, ask the OAuth proxy which providers it
 *       serves (logging each one the catalog needs that it does not) and fail sign-ins a stop left
 *       half-way;</li>
 *   <li>start again, in the background, the MCP servers that ran when the app last ran (the MCP
 *       runtime is made before the gateway, which serves its running servers; closing stops every
 *       server, its whole process group).</li>
 * </ol>
 */
public final class Backend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Backend.class);

    /** The client {@code latchkey mcp} uses when it is given no token of its own. */
    private static final String BRIDGE_KIND = "stdio-bridge";

    private final Path dataDir;
    private final DataDirLock lock;
    private final Database database;
    private final McpRuntime runtime;
    private final Gateway gateway;
    private final BrowserConnections logins;
    private final ApiServer server;
    private final String secret;
    private final PageSessions sessions;
    private final List<String> nameMismatches;
    private final OAuth oauth;

    private Backend(Path dataDir, DataDirLock lock, Database database, McpRuntime runtime, Gateway gateway,
            BrowserConnections logins, ApiServer server, String secret, PageSessions sessions, List<String> nameMismatches,
            OAuth oauth) {
        this.dataDir = dataDir;
        this.lock = lock;
        this.database = database;
        this.runtime = runtime;
        this.gateway = gateway;
        this.logins = logins;
        this.server = server;
        this.secret = secret;
        this.sessions = sessions;
        this.nameMismatches = nameMismatches;
        this.oauth = oauth;
    }

    /** Starts the backend without a login window: browser-login installs are refused (501). */
    public static Backend start(AppConfig config) {
        return start(config, null);
    }

    /** Starts the backend; browser sessions are checked over the network as it is. */
    public static Backend start(AppConfig config, BrowserLogin login) {
        return start(config, login, SessionChecks.direct());
    }

    /**
     * Starts the backend with the given way to reach the services' session checks (tests send them
     * to local stand-ins); on any failure, what was already opened is closed again.
     *
     * @param login         the login window to connect installs by browser login with, or null for none
     * @param sessionChecks how browser sessions are put to their providers' checks
     */
    public static Backend start(AppConfig config, BrowserLogin login, SessionChecks sessionChecks) {
        return start(DataDirLock.acquire(config.dataDir()), config, login, sessionChecks);
    }

    /**
     * Starts the backend on a data directory whose lock the caller already took (the launcher
     * takes it first, before the window's browser starts); the backend owns it from here and
     * releases it on close, or at once when its start fails.
     */
    public static Backend start(DataDirLock lock, AppConfig config, BrowserLogin login, SessionChecks sessionChecks) {
        // Reading definitions and migrating the database do not depend on each other: on two
        // cores, doing them side by side takes a good part off the cold start.
        CompletableFuture<Doctor.Loaded> definitions = CompletableFuture.supplyAsync(() -> Doctor.Loaded.from(config));
        Database database = null;
        McpRuntime runtime = null;
        Remotes remotes = null;
        Gateway gateway = null;
        ApiServer server = null;
        TokenRefresher refresher = null;
        BrowserConnections logins = null;
        try {
            Database opened = Database.open(config.dataDir());
            database = opened;
            SecretVault vault = SecretVault.open(config.dataDir(), () -> SealedValues.count(opened));
            Doctor.Loaded loaded = definitions.join();
            ProviderRegistry providers = loaded.providers();
            Catalog catalog = loaded.catalog();
            List<String> mismatches = Doctor.mismatches(providers, catalog);
            mismatches.forEach(mismatch -> LOG.warn("{} (run `latchkey doctor` for the full list)", mismatch));
            ObjectMapper json = json();
            InstallEvents events = new InstallEvents();
            Clock clock = Clock.systemUTC();
            InstallStore store = new InstallStore(database, vault, json, clock);
            InstallService installs = new InstallService(catalog, store, events, clock);
            LaunchSpecs launchSpecs = new LaunchSpecs(catalog, providers, store, config::installDir);
            ProxyClient proxy = new ProxyClient(config.proxyUrl());
            AtomicInteger port = new AtomicInteger();
            OAuthService oauthService = new OAuthService(catalog, providers, installs, store,
                    new PendingFlows(database, vault), proxy, port::get, clock);
            logins = login == null ? null
                    : new BrowserConnections(login, installs, store, catalog, providers, oauthService, sessionChecks, events, clock);
            ClientService clients = new ClientService(database, installs, clock);
            runtime = new McpRuntime(config, installs, launchSpecs, events,
                    RuntimeSettings.defaults().withToolCallTimeout(config.toolCallTimeout()), System.getenv(),
                    clock);
            remotes = Remotes.wire(catalog, database, vault, installs, store, events, oauthService, runtime,
                    config.toolCallTimeout(), config.proxyUrl(), config.clientMetadataDocument(), clock);
            gateway = new Gateway(remotes.joined(runtime), installs, events, clients);
            String secret = Unguessable.token();
            PageSessions sessions = new PageSessions(clock);
            server = ApiServer.start(new ApiServer.Services(catalog, providers, installs, events, clients, gateway,
                    oauthService, launchSpecs, runtime, connector(clients, config),
                    logins, remotes.installs()), json, secret, sessions, config.port());
            port.set(server.port());
            refresher = new TokenRefresher(store, installs, providers, proxy, launchSpecs, clock,
                    TokenRefresher.Policy.DEFAULT.withMargin(config.refreshMargin()));
            // Pruned on the refresher's rounds (the first 30 s after start), never on the start path.
            AuditLog audit = new AuditLog(database, clock, AuditLog.Limits.DEFAULT);
            remotes.refreshThrough(refresher);
            refresher.start(() -> {
                oauthService.expireFlows();
                audit.prune();
            });
            // 5 s later: its answer is only logged, and its HTTP client's start takes CPU the page needs.
            CompletableFuture.runAsync(() -> checkOAuth(oauthService, catalog),
                    CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS));
            new InstanceFile(ProcessHandle.current().pid(), server.port(), secret).write(config.dataDir());
            new GatewayFile(server.port(), clients.renewToken(BRIDGE_KIND, "latchkey mcp (stdio)")).write(config.dataDir());
            runtime.resume();
            remotes.resume();
            return new Backend(config.dataDir(), lock, database, runtime, gateway, logins, server, secret, sessions, mismatches,
                    new OAuth(oauthService, refresher, launchSpecs, remotes));
        } catch (RuntimeException e) {
            definitions.cancel(false);
            closeOpened(refresher, server, logins, gateway, remotes, runtime, database, lock);
            throw e;
        }
    }

    /** Closes, in the order given, each part a failed start had opened (not null); one that fails to close is logged. */
    private static void closeOpened(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                LOG.warn("closing {} after a failed start failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** The OAuth pieces of a running backend. */
    private record OAuth(OAuthService service, TokenRefresher refresher, LaunchSpecs launchSpecs, Remotes remotes) {
    }

    /** Start-up's OAuth step, off the start-up path: it waits for the proxy, which may be slow or down. */
    private static void checkOAuth(OAuthService oauth, Catalog catalog) {
        try {
            oauth.recoverInterrupted();
            oauth.proxyStatus().problems(catalog).forEach(problem -> LOG.warn("{}", problem));
        } catch (RuntimeException e) {
            LOG.warn("checking OAuth at start failed: {}", e.toString());
        }
    }

    /**
     * "Connect a client" writes entries that run {@code latchkey mcp} on this data directory; the
     * {@code latchkey} script tells the app its own path in {@code LATCHKEY_LAUNCHER}.
     */
    private static ClientConnector connector(ClientService clients, AppConfig config) {
        String launcher = System.getenv().getOrDefault("LATCHKEY_LAUNCHER", "latchkey");
        boolean macOs = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac");
        return new ClientConnector(clients, Path.of(System.getProperty("user.home")), macOs,
                List.of(launcher, "mcp", "--data-dir", config.dataDir().toAbsolutePath().toString()));
    }

    /** The JSON mapper of the API and the store: ISO-8601 instants, nothing else special. */
    private static ObjectMapper json() {
        return new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    public int port() {
        return server.port();
    }

    /** This launch's API secret, for programs ({@code Authorization: Bearer}); never put it in a URL. */
    public String secret() {
        return secret;
    }

    /**
     * A fresh address that opens the Connectors page signed in:
     * {@code http://127.0.0.1:PORT/?code=CODE}, the code good once, for two minutes.
     */
    public String newLaunchUrl() {
        return sessions.launchUrl(port());
    }

    /** Problems loading providers or catalog, and every name mismatch between them. */
    public List<String> nameMismatches() {
        return nameMismatches;
    }

    /** The OAuth flows of this backend (tests and benchmarks drive them directly). */
    public OAuthService oauth() {
        return oauth.service();
    }

    /** The one launch-spec builder of this backend. */
    public LaunchSpecs launchSpecs() {
        return oauth.launchSpecs();
    }

    /** The OAuth token refresher of this backend. */
    public TokenRefresher refresher() {
        return oauth.refresher();
    }

    @Override
    public void close() {
        oauth.refresher().close();
        InstanceFile.delete(dataDir);
        GatewayFile.delete(dataDir);
        gateway.close();
        server.close();
        oauth.remotes().close();
        runtime.close();
        if (logins != null) {
            logins.close();
        }
        database.close();
        lock.close();
    }
}
