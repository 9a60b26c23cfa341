package dev.latchkey.browser;

import dev.latchkey.login.SessionKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a Chromium login window keeps its throw-away profile while it is open: one folder per
 * {@link SessionKey} under {@code <data dir>/browser-sessions}, readable only by the user,
 * deleted once Chromium has quit (and, should a crash have left one, before the next window and
 * on switch and uninstall).
 */
public final class SessionFolders {

    private final Path root;

    /** @param root the folder of all sessions, normally {@code <data dir>/browser-sessions} */
    public SessionFolders(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** The conventional folder of all sessions under a data directory. */
    public static SessionFolders under(Path dataDir) {
        return new SessionFolders(dataDir.resolve("browser-sessions"));
    }

    public Path root() {
        return root;
    }

    /** The session's folder, created (0700) when it is not there yet. */
    public Path create(SessionKey session) {
        Path folder = session.under(root);
        try {
            Files.createDirectories(folder.getParent());
            if (!Files.isDirectory(folder)) {
                Files.createDirectory(folder,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the browser session folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the session's folder with everything in it; nothing when there is none. */
    public void delete(SessionKey session) {
        Path folder = session.under(root);
        if (!Files.exists(folder)) {
            return;
        }
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the browser session folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
