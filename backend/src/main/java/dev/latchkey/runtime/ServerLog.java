package dev.latchkey.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One install's server log: what its server wrote to stderr and what the runtime did with it,
 * one line each, already redacted by the caller. Kept in a file (mode 0600) that is rotated once
 * it passes {@link #MAX_BYTES} (one older file is kept, {@code .1}), the last lines in memory for
 * the page, and told live to subscribers.
 */
final class ServerLog {

    static final long MAX_BYTES = 512 * 1024;
    static final int KEPT_LINES = 500;

    private static final Logger LOG = LoggerFactory.getLogger(ServerLog.class);

    private final Path file;
    private final Clock clock;
    private final ArrayDeque<String> last = new ArrayDeque<>();
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private Writer writer;
    private long size;

    ServerLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        readTail();
    }

    /** Adds a line written at the time of the log's clock; {@code line} must be redacted already. */
    void append(String line) {
        String stamped = clock.instant() + " " + line;
        synchronized (this) {
            last.addLast(stamped);
            if (last.size() > KEPT_LINES) {
                last.removeFirst();
            }
            write(stamped);
        }
        for (Consumer<String> subscriber : subscribers) {
            try {
                subscriber.accept(stamped);
            } catch (RuntimeException e) {
                LOG.debug("a log subscriber failed: {}", e.toString());
            }
        }
    }

    /** The last {@code count} lines (at most {@link #KEPT_LINES}), oldest first. */
    synchronized List<String> tail(int count) {
        List<String> lines = List.copyOf(last);
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }

    /** Tells {@code subscriber} every new line; running the returned action stops that. */
    Runnable subscribe(Consumer<String> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Closes the file; the log can be written again (it reopens). */
    synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed: {}", file, e.toString());
            }
            writer = null;
        }
    }

    /** Closes and deletes the log and its older file: the install is gone. */
    synchronized void delete() {
        close();
        last.clear();
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(rotated());
        } catch (IOException e) {
            LOG.warn("cannot delete the server log {}: {}", file, e.toString());
        }
    }

    private void write(String line) {
        try {
            if (writer == null) {
                open();
            }
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            if (size + bytes.length > MAX_BYTES && size > 0) {
                writer.close();
                Files.move(file, rotated(), StandardCopyOption.REPLACE_EXISTING);
                open();
            }
            writer.write(line);
            writer.write('\n');
            writer.flush();
            size += bytes.length;
        } catch (IOException e) {
            // The page still has the lines in memory; a full disk must not stop the server.
            LOG.warn("cannot write the server log {}: {}", file, e.toString());
            writer = null;
        }
    }

    private void open() throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        size = Files.size(file);
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private Path rotated() {
        return file.resolveSibling(file.getFileName() + ".1");
    }

    /** A log written by an earlier run of the app shows its last lines again. */
    private void readTail() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            lines.subList(Math.max(0, lines.size() - KEPT_LINES), lines.size()).forEach(last::addLast);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot read the server log {}: {}", file, e.toString());
        }
    }
}
