package dev.latchkey.qa;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Processes started in process groups of their own, so that one signal ends a process and
 * everything under it: the app's JVM, CEF's zygote, renderer and GPU helpers, and the MCP
 * servers the app runs. Each is started through {@code setsid}, which (the started JVM child not
 * being a group leader) execs in place: the pid Java sees is the group id.
 *
 * <p>Every group still alive when the test JVM exits — a test interrupted, surefire stopping the
 * fork — is killed by a shutdown hook. A JVM killed with SIGKILL runs no hook; then the groups
 * outlive it (docs/qa.md says so).
 */
public final class ProcessGroups {

    private static final Set<Group> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(Group::kill), "latchkey-qa-reaper"));
    }

    private ProcessGroups() {
    }

    /** A started process group; {@link #kill()} ends all of it and waits until it has. */
    public static final class Group {

        private final Process process;

        private Group(Process process) {
            this.process = process;
        }

        /** The group's leader, the process that was asked for. */
        public Process process() {
            return process;
        }

        /** True while any process of the group (the leader or one under it) still runs. */
        public boolean alive() {
            return process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive);
        }

        /**
         * SIGKILL to the whole group, and to every descendant that made a group of its own; then
         * waits up to 10 s until each of them has ended. Idempotent.
         */
        public void kill() {
            List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
            try {
                new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                        .waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                // kill(1) missing: the handles below still end every process we know of
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            // Every process of the tree, not only the leader: an orphaned helper is gone only once reaped.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (ProcessHandle handle : concat(process.toHandle(), tree)) {
                try {
                    handle.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // still there after 10 s: alive() says so to the caller
                }
            }
            LIVE.remove(this);
        }
    }

    private static List<ProcessHandle> concat(ProcessHandle first, List<ProcessHandle> rest) {
        List<ProcessHandle> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    /** Starts {@code builder}'s command as the leader of a new process group. */
    public static Group start(ProcessBuilder builder) throws IOException {
        if (!VirtualDisplay.onPath("setsid")) {
            throw new IllegalStateException("the QA kit starts processes in groups of their own with setsid; "
                    + "install it: apt-get install -y util-linux");
        }
        List<String> command = new ArrayList<>(List.of("setsid"));
        command.addAll(builder.command());
        ProcessBuilder grouped = new ProcessBuilder(command).directory(builder.directory())
                .redirectInput(builder.redirectInput()).redirectOutput(builder.redirectOutput())
                .redirectError(builder.redirectError()).redirectErrorStream(builder.redirectErrorStream());
        grouped.environment().clear();
        grouped.environment().putAll(builder.environment());
        Group group = new Group(grouped.start());
        LIVE.add(group);
        return group;
    }
}
