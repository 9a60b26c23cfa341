package dev.latchkey.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and folders that only their owner may read, the way ssh keeps {@code ~/.ssh}: the data
 * directory ({@code 0700}); and every file Latchkey writes, all through {@link #write} ({@code 0600},
 * whole): the vault key, {@code instance.json}, {@code gateway.json}, the credential files of a
 * server and the client configuration files that "Connect a client" writes (and their backups). On a
 * file system without POSIX permissions the checks are skipped.
 */
public final class OwnerOnly {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnly.class);
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {
    }

    /**
     * Creates {@code dir} (and its parents) as {@code 0700} when missing; an existing one that
     * group or others may use is tightened to {@code 0700}, with a warning.
     */
    public static void directory(Path dir) throws IOException {
        if (!posix()) {
            Files.createDirectories(dir);
            return;
        }
        if (Files.notExists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            return;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
        if (!disjoint(now, GROUP_OR_OTHERS)) {
            LOG.warn("data directory {} was open to group or others ({}); it is now {} (owner only)", dir,
                    PosixFilePermissions.toString(now), PosixFilePermissions.toString(DIRECTORY));
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }

    /**
     * Writes {@code content} to {@code target} in one step: a temporary file beside it, created
     * {@code 0600} from the start and forced to disk, is renamed over {@code target}. A crash leaves
     * the old file or the new one, never a part of one. A file that was there is replaced, so it is
     * {@code 0600} afterwards whatever its mode was.
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        String prefix = "." + target.getFileName() + ".";
        Path temp = posix() ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(FILE))
                : Files.createTempFile(dir, prefix, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Refuses {@code file} when group or others may read or change it, saying the {@code chmod}
     * that fixes it.
     */
    public static void check(Path file, String what) throws IOException {
        if (!posix()) {
            return;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
        if (!disjoint(now, GROUP_OR_OTHERS)) {
            throw new StoreException(what + " " + file + " may be read by others (" + PosixFilePermissions.toString(now)
                    + "); Latchkey uses it only when its owner alone can read it: run  chmod 600 " + file);
        }
    }

    private static boolean disjoint(Set<PosixFilePermission> a, Set<PosixFilePermission> b) {
        return a.stream().noneMatch(b::contains);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
