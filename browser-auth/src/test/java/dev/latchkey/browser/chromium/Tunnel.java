package dev.latchkey.browser.chromium;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP {@code CONNECT} proxy on 127.0.0.1 that tunnels every connection, whatever host it names,
 * to one local port: what {@code --host-resolver-rules} is to Chromium, this is to the backend's
 * Java HTTP client, so a session check of {@code https://slack.com/…} reaches {@link ServiceSites}
 * (TLS still runs end to end, for the real host name) and never the internet.
 */
final class Tunnel implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean down;

    private Tunnel(ServerSocket listener, int target) {
        this.listener = listener;
        this.target = target;
    }

    static Tunnel to(int port) throws IOException {
        Tunnel tunnel = new Tunnel(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), port);
        Thread accepting = new Thread(tunnel::accept, "test-tunnel");
        accepting.setDaemon(true);
        accepting.start();
        return tunnel;
    }

    /** The proxy setting of a Java HTTP client that goes through this tunnel. */
    ProxySelector proxy() {
        return ProxySelector.of(new InetSocketAddress("127.0.0.1", listener.getLocalPort()));
    }

    /**
     * While down, the open tunnels are cut (a client must not get through on a kept-alive
     * connection) and every new connection is closed at once, as when the network is gone.
     */
    void down(boolean down) throws IOException {
        this.down = down;
        if (down) {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    /** How many connections were closed at once because the tunnel was down. */
    int refused() {
        return refused.get();
    }

    /** Every {@code CONNECT host:port} asked of the tunnel. */
    List<String> asked() {
        return List.copyOf(asked);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread serving = new Thread(() -> serve(client), "test-tunnel-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        if (down) {
            refused.incrementAndGet();
            try {
                client.close();
            } catch (IOException e) {
                // closed either way
            }
            return;
        }
        try (client; Socket server = new Socket("127.0.0.1", target)) {
            open.add(client);
            open.add(server);
            String head = head(client.getInputStream());
            asked.add(head.split("\r\n", 2)[0]);
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            Thread back = new Thread(() -> pump(server, client), "test-tunnel-back");
            back.setDaemon(true);
            back.start();
            pump(client, server);
            back.join(5_000);
            open.remove(server);
        } catch (IOException | InterruptedException e) {
            // the client went away
        } finally {
            open.remove(client);
        }
    }

    /** The request head, up to the empty line. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) != -1; ) {
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException e) {
            // either side closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
