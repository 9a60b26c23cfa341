package dev.latchkey.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Another Latchkey process already owns the data directory: one of this user (a second start can
 * hand over to it) or of another user ({@link #otherUser()}), whose app this one never talks to.
 */
public final class DataDirInUseException extends RuntimeException {

    private final Path dataDir;
    private final String otherUser;

    public DataDirInUseException(Path dataDir, String holderPid, Optional<String> otherUser) {
        super(otherUser.map(user -> "data directory " + dataDir + " is in use by the Latchkey of user " + user
                        + (holderPid.isEmpty() ? "" : " (pid " + holderPid + ")")
                        + "; each user runs a Latchkey of their own: start without --data-dir, or with a directory of yours")
                .orElse("another Latchkey is already running on data directory " + dataDir
                        + (holderPid.isEmpty() ? "" : " (pid " + holderPid + ")")
                        + "; close it, or start this one with --data-dir pointing elsewhere"));
        this.dataDir = dataDir;
        this.otherUser = otherUser.orElse(null);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The user whose process holds the lock, when it is not this process's user. */
    public Optional<String> otherUser() {
        return Optional.ofNullable(otherUser);
    }
}
