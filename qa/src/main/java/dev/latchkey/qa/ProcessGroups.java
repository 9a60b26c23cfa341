package dev.latchkey.qa;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Processes started in process groups of their own, so that one signal ends a process and
 * everything under it: the app's JVM, CEF's zygote, renderer and GPU helpers, and what detached
 * from the app's tree but stayed in its group (a browser {@code xdg-open} started, which no
 * descendant list names any more). The MCP servers the app runs are in groups of their own (the
 * app starts each with {@code setsid}, in a bubblewrap sandbox that dies with the app where there
 * is one); they are killed as the app's descendants, each with its whole group. Each group is started through {@code setsid}, which (the
 * started JVM child not being a group leader) execs in place: the pid Java sees is the group id.
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
        /** The groups {@link #kill()} signalled: this one and those of the descendants it found. */
        private final Set<Long> killed = ConcurrentHashMap.newKeySet();

        private Group(Process process) {
            this.process = process;
        }

        /** The group's leader, the process that was asked for. */
        public Process process() {
            return process;
        }

        /** The group's id: its leader's pid ({@code setsid} made it lead a group of its own). */
        public long id() {
            return process.pid();
        }

        /**
         * True while any process of the group still runs: the leader, one under it, or one that
         * left the tree but not the group (a launcher that detached, as a browser started by
         * {@code xdg-open} does: it is no descendant any more, only its group id says it is ours);
         * after {@link #kill()}, also one in a group of a descendant it killed.
         */
        public boolean alive() {
            return process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive)
                    || !members(id()).isEmpty() || killed.stream().anyMatch(group -> !members(group).isEmpty());
        }

        /**
         * SIGKILL to the whole group (a process that detached from the tree but stayed in the group
         * included), to every descendant, and to the group of each descendant that made one of its
         * own (an MCP server the app started with {@code setsid}, with what detached from it: the
         * app's own watchdog for those groups is in this group and dies with it); then waits up to
         * 10 s until each of them has ended. Idempotent.
         */
        public void kill() {
            List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
            killed.add(id());
            tree.forEach(handle -> groupOf(handle.pid()).ifPresent(killed::add));
            // Never the test JVM's own group (no descendant of the app's session can be in it; said anyway).
            groupOf(ProcessHandle.current().pid()).ifPresent(killed::remove);
            List<String> command = new ArrayList<>(List.of("kill", "-KILL", "--"));
            killed.forEach(group -> command.add("-" + group));
            try {
                new ProcessBuilder(command)
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
            // And what left the tree but not the groups (a detached launcher's process).
            try {
                while (killed.stream().anyMatch(group -> !members(group).isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LIVE.remove(this);
        }
    }

    /**
     * Every live process whose process group is {@code pgid}, read from {@code /proc/<pid>/stat}
     * (its fifth field, after the command name in parentheses). A zombie is not counted: it has
     * ended, only its parent (perhaps a container's init that reaps nothing) has not collected it.
     */
    public static List<ProcessHandle> members(long pgid) {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(handle -> {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(handle.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(fields[2]) == pgid && !fields[0].equals("Z") && handle.isAlive()) {
                    found.add(handle);
                }
            } catch (IOException | RuntimeException e) {
                // it ended while the list was read
            }
        });
        return found;
    }

    /** The process group of {@code pid} ({@code /proc/<pid>/stat}), or empty when it has ended. */
    public static java.util.Optional<Long> groupOf(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            return java.util.Optional.of(Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
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
