package dev.latchkey.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallRefusedException.Reason;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.Lifecycle;
import dev.latchkey.launch.LaunchSpecs;
import dev.latchkey.sandbox.Sandbox;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the installed MCP servers: starts an install's server when it becomes {@code connected}
 * (a no-sign-in install right after it is installed; a signed-in one once its credentials are
 * stored), restarts it when its credentials change (refreshed ones without failing a call under
 * way), stops it on request, on uninstall and when the
 * app exits, and starts again at app start what was running before. One {@link Supervisor} per
 * install keeps its server in the state asked for. Knows nothing of HTTP.
 */
public final class McpRuntime implements RunningServers, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpRuntime.class);

    /** Statuses of installs whose server should run when the app starts. */
    private static final Set<InstallStatus> RESUMED = Set.of(
            InstallStatus.CONNECTED, InstallStatus.INSTALLING, InstallStatus.STARTING, InstallStatus.RUNNING);

    private final AppConfig config;
    private final InstallService installs;
    private final RuntimeSettings settings;
    private final Clock clock;
    private final ServerStarter starter;
    private final Watchdog watchdog = new Watchdog();
    private final Map<String, Supervisor> supervisors = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "mcp-runtime-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final Runnable unsubscribe;
    private final Sandbox sandbox;
    private volatile Predicate<String> elsewhere = id -> false;

    /** A runtime that sandboxes its servers as {@code config} says ({@link Sandbox#forApp}). */
    public McpRuntime(AppConfig config, InstallService installs, LaunchSpecs launchSpecs, InstallEvents events,
            RuntimeSettings settings, Map<String, String> appEnv, Clock clock) {
        this(config, installs, launchSpecs, events, settings, appEnv, clock,
                Sandbox.forApp(config.dataDir(), config.requireSandbox(), appEnv.get("PATH")));
    }

    /** @param appEnv the app's environment, of which a server gets only the basics (PATH, locale, TERM) */
    public McpRuntime(AppConfig config, InstallService installs, LaunchSpecs launchSpecs, InstallEvents events,
            RuntimeSettings settings, Map<String, String> appEnv, Clock clock, Sandbox sandbox) {
        this.config = config;
        this.installs = installs;
        this.settings = settings;
        this.clock = clock;
        this.starter = new ServerStarter(launchSpecs, installs, settings, appEnv, config.dataDir().resolve("cache"),
                watchdog, new JacksonMcpJsonMapper(new ObjectMapper()), sandbox);
        this.sandbox = sandbox;
        this.unsubscribe = events.subscribe(this::on);
    }

    /** Leaves the installs {@code elsewhere} owns (remote servers, {@code remote.RemoteRuntime}) alone. */
    public void leaveTo(Predicate<String> elsewhere) {
        this.elsewhere = elsewhere;
    }

    /** Starts, in the background, the servers of the installs that were running (or about to) when the app last ran. */
    public void resume() {
        installs.list().stream()
                .filter(install -> RESUMED.contains(install.status()) && !elsewhere.test(install.id()))
                .forEach(install -> supervisor(install.id()).start("Starting again with the app."));
    }

    /** Starts an install's server in the background; the status tells how it goes. */
    public CompletableFuture<Void> start(String installId) {
        Install install = startable(installId);
        return supervisor(install.id()).start("Starting.");
    }

    /** Stops an install's server (its whole process group); its status becomes {@code stopped}. */
    public CompletableFuture<Void> stop(String installId) {
        return supervisor(existing(installId).id()).stop();
    }

    /** Stops and starts an install's server again, with a launch spec built anew. */
    public CompletableFuture<Void> restart(String installId) {
        Install install = startable(installId);
        return supervisor(install.id()).restart("Restarting.");
    }

    /** How this runtime confines its servers; the page and doctor tell it. */
    public Sandbox sandbox() {
        return sandbox;
    }

    /** The last {@code lines} lines of an install's server log (stderr and what the runtime did), redacted. */
    public List<String> log(String installId, int lines) {
        return supervisor(existing(installId).id()).log().tail(lines);
    }

    /** Tells {@code line} every new line of an install's server log; running the returned action stops that. */
    public Runnable followLog(String installId, Consumer<String> line) {
        return supervisor(existing(installId).id()).log().subscribe(line);
    }

    @Override
    public List<RunningServer> running() {
        return supervisors.values().stream()
                .map(Supervisor::running)
                .filter(server -> server != null)
                .sorted(Comparator.comparing(RunningServer::installId))
                .toList();
    }

    @Override
    public Optional<RunningServer> find(String installId) {
        Supervisor supervisor = supervisors.get(installId);
        return supervisor == null ? Optional.empty() : Optional.ofNullable(supervisor.running());
    }

    @Override
    public CallPermit admit(String installId) {
        Supervisor supervisor = supervisors.get(installId);
        return supervisor == null ? CallPermit.NONE : supervisor.admit();
    }

    private void on(InstallEvent event) {
        if (event instanceof InstallEvent.Changed changed && elsewhere.test(changed.install().id())) {
            return;
        }
        if (event instanceof InstallEvent.Changed changed && changed.install().status() == InstallStatus.CONNECTED) {
            supervisor(changed.install().id()).start("Starting its MCP server.");
        } else if (event instanceof InstallEvent.Changed changed && Lifecycle.SIGNED_OUT.contains(changed.install().status())) {
            // Its server must not go on with credentials the service no longer takes.
            Supervisor supervisor = supervisors.get(changed.install().id());
            if (supervisor != null) {
                supervisor.halt();
            }
        } else if (event instanceof InstallEvent.CredentialsChanged credentials) {
            credentialsChanged(credentials);
        } else if (event instanceof InstallEvent.Removed removed) {
            removed(removed.id());
        }
    }

    /**
     * A server that runs (or is starting, or waits to restart) restarts on new credentials; on
     * refreshed ones it keeps running when only its credential files hold them (rewritten in
     * place), else it is drained first ({@link Supervisor#refreshed}). One never started is
     * started by its status becoming {@code connected}.
     */
    private void credentialsChanged(InstallEvent.CredentialsChanged event) {
        Supervisor supervisor = supervisors.get(event.id());
        if (supervisor == null || !supervisor.wanted()) {
            return;
        }
        if (event.why() == InstallEvent.CredentialsChanged.Why.REFRESHED) {
            supervisor.refreshed("Restarting with the refreshed credentials.");
        } else {
            supervisor.restart("Restarting with the new credentials.");
        }
    }

    /** The install is gone: its server stops, its directory (credential files) and its log are deleted. */
    private void removed(String installId) {
        Supervisor supervisor = supervisors.remove(installId);
        CompletableFuture<Void> stopped = supervisor == null ? CompletableFuture.completedFuture(null) : supervisor.shutdown();
        stopped.whenComplete((ignored, error) -> {
            (supervisor == null ? newLog(installId) : supervisor.log()).delete();
            deleteTree(config.installDir(installId));
        });
    }

    private Supervisor supervisor(String installId) {
        return supervisors.computeIfAbsent(installId, id ->
                new Supervisor(id, starter, installs, settings, newLog(id), timer, clock));
    }

    private ServerLog newLog(String installId) {
        return new ServerLog(config.dataDir().resolve("logs").resolve(installId + ".log"), clock);
    }

    private Install existing(String installId) {
        Install install = installs.find(installId).orElseThrow(() -> new InstallRefusedException(Reason.NOT_FOUND,
                "no install has the id \"" + installId + "\""));
        if (elsewhere.test(installId)) {
            throw new InstallRefusedException(Reason.NOT_RUNNABLE, install.displayName()
                    + " is a remote server: Latchkey connects to it by itself (Reconnect signs in again)");
        }
        return install;
    }

    /** An install whose server can start: one that needs no sign-in, or one that is signed in. */
    private Install startable(String installId) {
        Install install = existing(installId);
        if (install.auth() != AuthMethod.NONE && Set.of(InstallStatus.PENDING_AUTH, InstallStatus.CONNECTING)
                .contains(install.status())) {
            throw new InstallRefusedException(Reason.NOT_RUNNABLE,
                    install.displayName() + " is not signed in yet; its server starts once it is");
        }
        if (install.status() == InstallStatus.NEEDS_REAUTH) {
            throw new InstallRefusedException(Reason.NEEDS_SIGN_IN, install.displayName()
                    + " needs you to sign in again before its server can start: press Reconnect");
        }
        if (install.status() == InstallStatus.NEEDS_RELOGIN) {
            throw new InstallRefusedException(Reason.NEEDS_SIGN_IN, install.displayName()
                    + " needs you to sign in again before its server can start: press Sign in again");
        }
        return install;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the directory of a removed install, {}: {}", dir, e.toString());
        }
    }

    /** Stops every server (in parallel, each its whole process group) without touching their status, then the watchdog. */
    @Override
    public void close() {
        unsubscribe.run();
        CompletableFuture<?>[] stops = supervisors.values().stream().map(Supervisor::shutdown)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(stops).get(settings.stopGrace().toMillis() * 3 + 5000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("not every MCP server stopped in time: {}", e.toString());
        }
        supervisors.clear();
        timer.shutdownNow();
        watchdog.close();
    }
}
