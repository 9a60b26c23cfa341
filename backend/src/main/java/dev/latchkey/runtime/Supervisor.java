package dev.latchkey.runtime;

import dev.latchkey.install.InstallRefusedException;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.runtime.RunningServers.RunningServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one install's server in the state asked for. Every change runs on the install's own lane
 * (one task at a time, in order), so a start, a crash, a stop and a restart never interleave.
 *
 * <p>A server that exits on its own is restarted after the waits of {@link RuntimeSettings#backoff()},
 * one per attempt, with the exit code in its status; when they are used up it stays {@code failed}.
 * A server that ran for {@link RuntimeSettings#stableAfter()} starts counting its crashes anew.
 */
final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final String installId;
    private final ServerStarter starter;
    private final InstallService installs;
    private final RuntimeSettings settings;
    private final ServerLog log;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final ThreadPoolExecutor lane;

    // Changed on the lane only.
    private StartOutcome.Started run;
    private Instant runningSince;
    private int crashes;
    private ScheduledFuture<?> pendingRestart;

    // Read from other threads.
    private volatile ServerProcess spawning;
    private volatile boolean wanted;
    private volatile RunningServer running;
    private volatile RunningServer restarting; // the server before a restart on refreshed credentials
    private final CallGate gate = new CallGate();

    Supervisor(String installId, ServerStarter starter, InstallService installs, RuntimeSettings settings,
            ServerLog log, ScheduledExecutorService timer, Clock clock) {
        this.installId = installId;
        this.starter = starter;
        this.installs = installs;
        this.settings = settings;
        this.log = log;
        this.timer = timer;
        this.clock = clock;
        this.lane = Lane.of(installId);
    }

    /** The server as the gateway sees it while it runs (or restarts on refreshed credentials), else null. */
    RunningServer running() {
        return running != null ? running : restarting;
    }

    RunningServers.CallPermit admit() {
        return gate.enter(settings.toolCallTimeout());
    }

    /** Refreshed credentials: rewritten in place when only its files hold them, else drained and restarted. */
    CompletableFuture<Void> refreshed(String why) {
        return onLane(() -> {
            if (wanted && run != null && !starter.rewriteInPlace(installId, run, log)) {
                restarting = running; // its tools stay listed; new calls wait at the gate
                gate.shut();
                log.append("[latchkey] credentials refreshed: restarting once the calls under way are over");
                gate.drained(settings.toolCallTimeout(), () -> relaunch(why));
                restarting = null;
            }
        });
    }

    /** Whether its server should run: it runs, starts, or waits to restart. */
    boolean wanted() {
        return wanted;
    }

    ServerLog log() {
        return log;
    }

    /** Starts the server unless it runs or is starting already. */
    CompletableFuture<Void> start(String why) {
        wanted = true;
        return onLane(() -> {
            cancelRestart();
            crashes = 0;
            if (run == null) {
                launch(why);
            }
        });
    }

    /** Stops and starts it again (new credentials, or asked for). */
    CompletableFuture<Void> restart(String why) {
        wanted = true;
        return onLane(() -> {
            cancelRestart();
            relaunch(why);
        });
    }

    private void relaunch(String why) {
        if (wanted) {
            stopRun();
            crashes = 0;
            launch(why);
        }
    }

    /** Stops it and says so in its status. */
    CompletableFuture<Void> stop() {
        return end(() -> status(InstallStatus.STOPPED, "Stopped. Press Start to run it again."));
    }

    /** Stops it, keeping its status: it waits for a sign-in ({@code needs_reauth}, {@code needs_relogin}), not stopped. */
    CompletableFuture<Void> halt() {
        return end(() -> { });
    }

    /** Stops it without touching its status: the app exits (it starts again next time) or the install is gone. */
    CompletableFuture<Void> shutdown() {
        return end(log::close).whenComplete((ignored, error) -> lane.shutdown());
    }

    /** No longer wanted: a start under way is aborted, then, on the lane, the run stops and {@code after} runs. */
    private CompletableFuture<Void> end(Runnable after) {
        wanted = false;
        abortStart();
        gate.open();
        return onLane(() -> {
            cancelRestart();
            stopRun();
            after.run();
        });
    }

    private void launch(String why) {
        StartOutcome outcome;
        try {
            outcome = starter.start(installId, log, why, process -> spawning = process);
        } catch (InstallRefusedException e) {
            if (e.reason() == InstallRefusedException.Reason.NOT_FOUND) {
                // Uninstalled while it was starting: there is nothing left to start, and nothing went wrong.
                wanted = false;
            }
            outcome = new StartOutcome.Failed(e.getMessage());
        } catch (RuntimeException e) {
            // A bug, but the install must not sit in its last status as if nothing happened.
            LOG.error("starting the server of install {} failed", installId, e);
            outcome = new StartOutcome.Failed("Latchkey could not start it (" + e.getClass().getSimpleName()
                    + "); see Latchkey's own log");
        } finally {
            spawning = null;
        }
        if (!wanted) {
            // Stopped while it was starting: the stop task waits behind this one and sets the status.
            if (outcome instanceof StartOutcome.Started started) {
                started.client().close();
                started.process().stop(settings.stopGrace());
            }
            return;
        }
        if (outcome instanceof StartOutcome.Started started) {
            run = started;
            runningSince = clock.instant();
            // Before anything that may fail: a server whose exit goes unheard is never restarted.
            started.process().onExit().thenRun(() -> onLane(() -> exited(started)));
            String name = installs.find(installId).map(install -> install.displayName()).orElse(installId);
            running = new RunningServer(installId, name, started.client(), started.tools(), started.changes());
            log.append("[latchkey] running (pid " + started.process().pid() + "): " + StatusText.describe(started.tools()));
            if (!status(InstallStatus.RUNNING, StatusText.describe(started.tools()))) {
                log.append("[latchkey] stopping: its status may not become running now");
                stopRun();
            }
        } else if (outcome instanceof StartOutcome.Refused refused) {
            wanted = false;
            log.append("[latchkey] not started: it is " + refused.status());
        } else if (outcome instanceof StartOutcome.Crashed crashed) {
            crashed(crashed.exitCode());
        } else if (outcome instanceof StartOutcome.Failed failed) {
            log.append("[latchkey] failed: " + failed.reason());
            status(InstallStatus.FAILED, failed.reason());
        }
    }

    private void exited(StartOutcome.Started which) {
        if (which != run) {
            return;
        }
        running = null;
        run = null;
        which.client().close();
        which.process().stop(settings.stopGrace());
        if (!wanted) {
            return;
        }
        if (which.process().overLimit() != null) {
            status(InstallStatus.FAILED, which.process().overLimit()); // no restart: it would go over again
            return;
        }
        if (Duration.between(runningSince, clock.instant()).compareTo(settings.stableAfter()) >= 0) {
            crashes = 0;
        }
        crashed(which.process().process().exitValue());
    }

    private void crashed(int exitCode) {
        String exit = StatusText.exitDescription(exitCode);
        log.append("[latchkey] " + exit);
        if (crashes >= settings.backoff().size()) {
            status(InstallStatus.FAILED, StatusText.capitalized(exit) + "; it exited " + (crashes + 1)
                    + " times in a row. See its log, then press Start to try again.");
            return;
        }
        Duration wait = settings.backoff().get(crashes);
        crashes++;
        if (!status(InstallStatus.STARTING, StatusText.capitalized(exit) + "; restarting in "
                + StatusText.seconds(wait) + " (restart " + crashes + " of " + settings.backoff().size() + ").")) {
            return;
        }
        String why = "Restarting after it " + exit + ".";
        pendingRestart = timer.schedule(() -> onLane(() -> {
            pendingRestart = null;
            if (wanted && run == null) {
                launch(why);
            }
        }), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopRun() {
        StartOutcome.Started stopping = run;
        if (stopping == null) {
            return;
        }
        running = null;
        run = null;
        log.append("[latchkey] stopping (pid " + stopping.process().pid() + ")");
        stopping.client().close();
        stopping.process().stop(settings.stopGrace());
    }

    /** A start may wait minutes for npx; a stop does not wait behind it but ends its process now. */
    private void abortStart() {
        ServerProcess starting = spawning;
        if (starting != null) {
            CompletableFuture.runAsync(() -> starting.stop(settings.stopGrace()));
        }
    }

    private void cancelRestart() {
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }

    /**
     * Moves the install to {@code status} as the lifecycle allows; false, and no longer wanted, when
     * it may not (it waits for a sign-in, or a stop came first) or it was removed meanwhile.
     */
    private boolean status(InstallStatus status, String reason) {
        restarting = null; // what the status tells is the server now, not the one before a restart
        try {
            if (installs.transition(installId, status, reason).applied()) {
                return true;
            }
        } catch (InstallRefusedException e) {
            // removed meanwhile: nothing left to run
        }
        wanted = false;
        return false;
    }

    private CompletableFuture<Void> onLane(Runnable task) {
        return Lane.run(lane, installId, task);
    }
}
