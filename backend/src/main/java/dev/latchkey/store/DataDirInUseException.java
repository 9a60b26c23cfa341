package dev.latchkey.store;

import java.nio.file.Path;

/** Another Latchkey process already owns the data directory. */
public final class DataDirInUseException extends RuntimeException {

    private final Path dataDir;

    public DataDirInUseException(Path dataDir, String holderPid) {
        super("another Latchkey is already running on data directory " + dataDir
                + (holderPid.isEmpty() ? "" : " (pid " + holderPid + ")")
                + "; close it, or start this one with --data-dir pointing elsewhere");
        this.dataDir = dataDir;
    }

    public Path dataDir() {
        return dataDir;
    }
}
