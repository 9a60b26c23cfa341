package dev.latchkey.desktop;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How a second {@code latchkey} on a data directory hands its start to the app already running
 * there: a Unix socket, {@code <data dir>/latchkey.sock}, owner-only like the directory it is in
 * (0700), so only the user who owns the data directory can reach it. The running app answers one
 * line per connection: {@code window} (its window was brought to the front) or {@code url URL} (a
 * fresh launch URL, when it runs without a window).
 *
 * <p>Only the process holding the data directory's lock ({@code DataDirLock}) listens, so a socket
 * file it finds is one a killed app left behind and is replaced. A second start connects first;
 * when nobody answers (no file, or a file nobody listens on) it starts as usual.
 */
final class InstanceSocket implements AutoCloseable {

    static final String NAME = "latchkey.sock";

    /** How long the running app may take to answer: it waits until its window is up. */
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(30);

    private final ServerSocketChannel server;
    private final Path file;

    private InstanceSocket(ServerSocketChannel server, Path file) {
        this.server = server;
        this.file = file;
    }

    /**
     * Asks the app listening on {@code dataDir}'s socket to show itself; its answer line, or empty
     * when no app listens there (or the socket is not this user's).
     */
    static Optional<String> handOver(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        if (!ownedByMe(file)) {
            return Optional.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(file));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty(); // a socket a killed app left: nobody listens
        }
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> exchange(channel, "show"),
                task -> daemon(task, "latchkey-handover").start());
        try {
            return Optional.of(answer.get(ANSWER_LIMIT.toSeconds(), TimeUnit.SECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            closeQuietly(channel);
        }
    }

    /**
     * Listens on {@code dataDir}'s socket (the caller holds the data directory's lock): every
     * connection is answered with what {@code answer} gives, which may wait until the app is up.
     */
    static InstanceSocket listen(Path dataDir, Supplier<String> answer) throws IOException {
        Path file = dataDir.resolve(NAME);
        Files.deleteIfExists(file); // left by an app that was killed: the lock says none runs
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(file));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        InstanceSocket socket = new InstanceSocket(server, file);
        daemon(() -> socket.serve(answer), "latchkey-instance-socket").start();
        return socket;
    }

    private void serve(Supplier<String> answer) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                readLine(client);
                client.write(StandardCharsets.UTF_8.encode(answer.get() + "\n"));
            } catch (IOException | RuntimeException e) {
                if (server.isOpen()) {
                    System.err.println("latchkey: a second start could not be answered: " + e.getMessage());
                }
            }
        }
    }

    private static String exchange(SocketChannel channel, String request) {
        try {
            channel.write(StandardCharsets.UTF_8.encode(request + "\n"));
            return readLine(channel);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One line of at most 4 KB (a launch URL is about 80 bytes), without its newline. */
    private static String readLine(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (buffer.hasRemaining()) {
            int before = buffer.position();
            if (channel.read(buffer) < 0) {
                break;
            }
            if (indexOfNewline(buffer, before) >= 0) {
                break;
            }
        }
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static int indexOfNewline(ByteBuffer buffer, int from) {
        for (int i = from; i < buffer.position(); i++) {
            if (buffer.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean ownedByMe(Path file) {
        try {
            return Files.getOwner(file).getName().equals(System.getProperty("user.name"));
        } catch (IOException e) {
            return false; // no socket, or one in a directory this user cannot read
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("latchkey: cannot remove " + file + ": " + e.getMessage());
        }
    }
}
