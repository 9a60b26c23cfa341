package dev.latchkey.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The one Latchkey process that owns a data directory. A second process asking for the same
 * directory is refused at once, before it opens the database, so it can neither hang on H2's
 * file lock nor touch the first one's data.
 */
public final class DataDirLock implements AutoCloseable {

    private static final String LOCK_FILE = "latchkey.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dataDir}, creating it owner-only ({@code 0700}) when missing and tightening it
     * when it is looser; throws {@link DataDirInUseException} when another process holds it.
     */
    public static DataDirLock acquire(Path dataDir) {
        try {
            OwnerOnly.directory(dataDir);
            Path file = dataDir.resolve(LOCK_FILE);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new DataDirInUseException(dataDir, holder, otherUser(holder));
            }
            channel.truncate(0);
            channel.write(StandardCharsets.UTF_8.encode(Long.toString(ProcessHandle.current().pid())));
            channel.force(false);
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            throw new StoreException("cannot lock data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The user running process {@code pid} when it is not this process's user (read from /proc). */
    private static Optional<String> otherUser(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).flatMap(holder -> holder.info().user())
                    .filter(user -> !user.equals(System.getProperty("user.name")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // Held by this very JVM (a second backend in one process, as in tests): the same refusal.
            return null;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new StoreException("cannot release the data directory lock: " + e.getMessage(), e);
        }
    }
}
