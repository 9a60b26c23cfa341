package dev.latchkey.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Holds a server's whole process tree to its {@link Limits}, read from {@code /proc} every
 * {@value #INTERVAL_MS} ms: memory as the sum of each process's PSS ({@code smaps_rollup}; RSS
 * from {@code status} where that cannot be read), tasks as the sum of their threads. The
 * first time the tree is over one, {@code over} is told the reason (once) and the watch ends;
 * the caller stops the server. Where a cgroup v2 scope is to be had, it is the kernel's hard stop
 * behind this; elsewhere this is the memory limit: {@code RLIMIT_AS} would stop Node outright
 * (V8 and WebAssembly reserve far more address space than they use), docs/decisions.md.
 */
public final class TreeWatch implements AutoCloseable {

    static final long INTERVAL_MS = 250;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "sandbox-limits");
        thread.setDaemon(true);
        return thread;
    });

    private final ProcessHandle root;
    private final Limits limits;
    private final Consumer<String> over;
    private final ScheduledFuture<?> task;
    private volatile boolean told;

    private TreeWatch(ProcessHandle root, Limits limits, Consumer<String> over) {
        this.root = root;
        this.limits = limits;
        this.over = over;
        this.task = TIMER.scheduleWithFixedDelay(this::check, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Starts watching the tree under {@code root}, until it exits or {@link #close()} is called. */
    public static TreeWatch start(ProcessHandle root, Limits limits, Consumer<String> over) {
        return new TreeWatch(root, limits, over);
    }

    private void check() {
        if (told || !root.isAlive()) {
            task.cancel(false);
            return;
        }
        long memory = 0;
        int tasks = 0;
        for (ProcessHandle process : (Iterable<ProcessHandle>) Stream.concat(Stream.of(root), root.descendants())::iterator) {
            Path proc = Path.of("/proc", Long.toString(process.pid()));
            memory += memory(proc);
            tasks += threads(proc);
        }
        String reason = memory > limits.memoryBytes() ? limits.overMemory(memory)
                : tasks >= limits.tasks() ? limits.overTasks(tasks) : null;
        if (reason != null) {
            told = true;
            task.cancel(false);
            over.accept(reason);
        }
    }

    /** The PSS of one process in bytes, else its RSS; 0 when it is gone. */
    static long memory(Path proc) {
        long pss = field(proc.resolve("smaps_rollup"), "Pss:");
        return (pss >= 0 ? pss : Math.max(0, field(proc.resolve("status"), "VmRSS:"))) * 1024;
    }

    private static int threads(Path proc) {
        return (int) Math.max(0, field(proc.resolve("status"), "Threads:"));
    }

    /** The number after {@code name} on its line of {@code file} (kB for sizes), or -1. */
    private static long field(Path file, String name) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(name)).findFirst()
                    .map(line -> Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]))
                    .orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
