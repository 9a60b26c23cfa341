package dev.latchkey.remote;

import dev.latchkey.catalog.Catalog;
import dev.latchkey.catalog.Substitution;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.install.StatusChange;
import dev.latchkey.runtime.ListChanges;
import dev.latchkey.runtime.RunningServers;
import dev.latchkey.runtime.StatusText;
import dev.latchkey.runtime.ToolPages;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the remote installs the way the MCP runtime starts local ones: an install that becomes
 * {@code connected} is connected ({@code starting}), initialized and its tools listed
 * ({@code running}, named in its status as a local server's are); Stop, a sign-out status and
 * uninstall close its client; new credentials from a Reconnect connect it again. A server that
 * refuses the stored token puts the install in {@code needs_reauth} with the server's error. The
 * changes run one at a time on one thread, so a connect and a close never interleave.
 */
public final class RemoteRuntime implements RunningServers, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteRuntime.class);

    private final InstallService installs;
    private final InstallStore store;
    private final RemoteStore remotes;
    private final Duration requestTimeout;
    private final RemoteConnector connector = new RemoteConnector();
    private final Map<String, RunningServer> running = new ConcurrentHashMap<>();
    private final ExecutorService lane = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "remote-runtime");
        thread.setDaemon(true);
        return thread;
    });
    private final Runnable unsubscribe;
    private final Catalog catalog;
    private final StepUps stepUps;

    RemoteRuntime(Catalog catalog, InstallService installs, InstallStore store, RemoteStore remotes,
            InstallEvents events, Duration requestTimeout, StepUps stepUps) {
        this.catalog = catalog;
        this.stepUps = stepUps;
        this.installs = installs;
        this.store = store;
        this.remotes = remotes;
        this.requestTimeout = requestTimeout;
        this.unsubscribe = events.subscribe(this::on);
    }

    /** Whether an install is this runtime's (the MCP runtime leaves those alone). */
    public boolean owns(String installId) {
        return remotes.isRemote(installId);
    }

    /** At start: connects again what was connected or running when the app stopped. */
    public void resume() {
        for (Install install : installs.list()) {
            if (List.of(InstallStatus.CONNECTED, InstallStatus.STARTING, InstallStatus.RUNNING).contains(install.status())
                    && owns(install.id())) {
                if (install.status() == InstallStatus.CONNECTED) {
                    lane.execute(() -> connect(install.id()));
                } else {
                    installs.transition(install.id(), InstallStatus.CONNECTED, "Connecting again."); // heard by on()
                }
            }
        }
    }

    private void on(InstallEvent event) {
        if (event instanceof InstallEvent.Changed changed) {
            String id = changed.install().id();
            InstallStatus status = changed.install().status();
            if (status == InstallStatus.CONNECTED && owns(id)) {
                lane.execute(() -> connect(id));
            } else if (running.containsKey(id) && !List.of(InstallStatus.RUNNING, InstallStatus.STARTING).contains(status)) {
                // Out of the served servers at once (a needs_reauth install's tools are never listed); closed on the lane.
                RunningServer gone = running.remove(id);
                if (gone != null) {
                    stepUps.cancel(id);
                    lane.execute(() -> gone.client().closeGracefully());
                }
            }
        } else if (event instanceof InstallEvent.CredentialsChanged changed
                && changed.why() != InstallEvent.CredentialsChanged.Why.REFRESHED && running.containsKey(changed.id())) {
            lane.execute(() -> {
                disconnect(changed.id());
                connect(changed.id());
            });
        } else if (event instanceof InstallEvent.Removed removed) {
            lane.execute(() -> disconnect(removed.id()));
        }
    }

    private void connect(String id) {
        Optional<RemoteStore.Server> server = remotes.find(id);
        if (server.isEmpty()) {
            return;
        }
        StatusChange starting = installs.transition(id, InstallStatus.STARTING, "Connecting to " + server.get().url().getHost() + "…");
        if (!starting.applied() && starting.install().status() != InstallStatus.STARTING) {
            return;
        }
        disconnect(id);
        ListChanges changes = new ListChanges();
        StoredTokens tokens = new StoredTokens(id, starting.install().displayName(), store, installs, remotes, stepUps);
        BearerAuth auth = new BearerAuth(server.get().url(), tokens, headers(starting.install()));
        try {
            McpSyncClient client = connector.connect(server.get().url(), auth, requestTimeout, changes::wire);
            List<McpSchema.Tool> tools = ToolPages.all(client);
            running.put(id, new RunningServer(id, starting.install().displayName(), client, tools, changes));
            tokens.serving();
            if (!installs.transition(id, InstallStatus.RUNNING, StatusText.describe(tools)).applied()) {
                disconnect(id);
            }
        } catch (RuntimeException e) {
            Optional<RemoteAuthException> refused = RemoteFailure.authCause(e);
            String sentence = RemoteInstalls.sentence(RemoteFailure.sentence(e));
            LOG.info("remote install {} did not connect: {}", id, sentence);
            if (refused.isPresent() && refused.get().reason() != RemoteAuthException.Reason.UNREACHABLE) {
                installs.transition(id, InstallStatus.NEEDS_REAUTH, sentence + " Press Reconnect to sign in again.");
            } else if (installs.find(id).map(i -> i.status() != InstallStatus.NEEDS_REAUTH).orElse(false)) {
                installs.transition(id, InstallStatus.FAILED, sentence);
            }
        }
    }

    /** The headers a catalog server's manifest names (an API key from its sealed settings); none for one added by URL. */
    private Map<String, String> headers(Install install) {
        return catalog.find(install.catalogName()).filter(server -> server.server().isRemote())
                .map(server -> Substitution.headers(server, store.openConfig(install.id()))).orElse(Map.of());
    }

    private void disconnect(String id) {
        RunningServer server = running.remove(id);
        if (server != null) {
            stepUps.cancel(id);
            server.client().closeGracefully();
        }
    }

    @Override
    public List<RunningServer> running() {
        return running.values().stream().sorted(java.util.Comparator.comparing(RunningServer::installId)).toList();
    }

    @Override
    public Optional<RunningServer> find(String installId) {
        return Optional.ofNullable(running.get(installId));
    }

    @Override
    public CallPermit admit(String installId) {
        return CallPermit.NONE;
    }

    @Override
    public void close() {
        unsubscribe.run();
        lane.shutdown();
        try {
            lane.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.keySet().forEach(this::disconnect);
    }
}
