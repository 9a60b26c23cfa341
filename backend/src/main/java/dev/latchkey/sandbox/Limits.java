package dev.latchkey.sandbox;

/**
 * What one server may use: memory (the PSS of its whole process tree, in bytes) and tasks
 * (processes and their threads, as the kernel counts them for {@code RLIMIT_NPROC} and cgroups'
 * {@code pids.max}). A server over either is stopped and its install ends {@code failed} with
 * {@link #overMemory} or {@link #overTasks} as the reason.
 */
public record Limits(long memoryBytes, int tasks) {

    private static final long MB = 1024L * 1024L;

    /**
     * Fits an npx server with room to spare: npm's node (about 60 MB) and the server's own node
     * (40 to 150 MB), each with about ten threads (docs/decisions.md).
     */
    public static final Limits DEFAULT = new Limits(512 * MB, 256);

    public Limits {
        if (memoryBytes < 16 * MB) {
            throw new IllegalArgumentException("memory limit: expected at least 16 MB, got " + memoryBytes + " bytes");
        }
        if (tasks < 8) {
            throw new IllegalArgumentException("task limit: expected at least 8, got " + tasks);
        }
    }

    public long memoryMegabytes() {
        return memoryBytes / MB;
    }

    /** The reason an install shows when its server went over its memory limit. */
    public String overMemory(long usedBytes) {
        return "Stopped: its server used more than " + memoryMegabytes() + " MB of memory, its limit ("
                + usedBytes / MB + " MB in all its processes). See its log, then press Start to try again.";
    }

    /** The reason an install shows when its server reached its task limit. */
    public String overTasks(int count) {
        return "Stopped: its server ran " + count + " processes and threads, its limit is " + tasks
                + ". See its log, then press Start to try again.";
    }
}
