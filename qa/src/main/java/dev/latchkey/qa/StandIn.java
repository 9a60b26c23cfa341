package dev.latchkey.qa;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A local HTTPS stand-in for a service, served from a folder of pages: each sub-folder is a host
 * ({@code pages/login.acme.test/}), each file a path on it. The app's Chromium reaches it under the
 * real host names through the QA switches ({@link #switches()}): {@code --host-resolver-rules}
 * maps every host here, {@code --ignore-certificate-errors-spki-list} trusts its certificate (a
 * {@link SelfSigned} made at start, for those hosts). The provider's definition stays as it ships.
 *
 * <p>A request for {@code /a/b} on a host is answered from {@code <host>/a/b}, else
 * {@code <host>/a/b.html}, else {@code <host>/a/b/index.html}, for GET and POST alike (a form posts
 * to the page that follows it), else {@code <host>/a/b.redirect}, whose one line is a URL to answer
 * 302 with. Beside a file, {@code <file>.headers} holds header lines to add ({@code Set-Cookie: …}). Anything
 * else is 404. Every request is recorded ({@link #requests(String)}), so a test can see that a host
 * was never asked.
 */
public final class StandIn implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Path pages;
    private final List<String> hosts;
    private final String spki;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private StandIn(HttpsServer server, ExecutorService executor, Path pages, List<String> hosts, String spki) {
        this.server = server;
        this.executor = executor;
        this.pages = pages;
        this.hosts = hosts;
        this.spki = spki;
    }

    /** Serves {@code pages} (one sub-folder per host) on 127.0.0.1, on a free port, over HTTPS. */
    public static StandIn serve(Path pages) throws Exception {
        List<String> hosts;
        try (Stream<Path> dirs = Files.list(pages)) {
            hosts = dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException(pages + " has no host folders (e.g. " + pages.resolve("login.example.test") + ")");
        }
        SelfSigned certificate = SelfSigned.forHosts("latchkey qa stand-in", hosts);
        String spki = certificate.spki();
        SSLContext tls = certificate.serverContext();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        ExecutorService executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        StandIn standIn = new StandIn(server, executor, pages.toAbsolutePath(), hosts, spki);
        server.createContext("/", standIn::handle);
        server.start();
        return standIn;
    }

    /** The hosts served (the folder's sub-folders). */
    public List<String> hosts() {
        return hosts;
    }

    /** The port on 127.0.0.1. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The value of {@code --host-resolver-rules}: every host mapped to this stand-in. */
    public String hostResolverRules() {
        return String.join(",", hosts.stream().map(host -> "MAP " + host + " 127.0.0.1:" + port()).toList());
    }

    /** The value of {@code --ignore-certificate-errors-spki-list}: the SHA-256 of this certificate's key, base64. */
    public String spkiList() {
        return spki;
    }

    /** Both QA switches with their values, for the app's command line. */
    public List<String> switches() {
        return List.of("--host-resolver-rules", hostResolverRules(), "--ignore-certificate-errors-spki-list", spkiList());
    }

    /** Every request {@code host} got so far, as {@code "METHOD /path"}. */
    public List<String> requests(String host) {
        String prefix = host + " ";
        return requests.stream().filter(r -> r.startsWith(prefix)).map(r -> r.substring(prefix.length())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host")).replaceFirst(":\\d+$", "");
        String path = exchange.getRequestURI().getPath();
        requests.add(host + " " + exchange.getRequestMethod() + " " + path);
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Path page = find(host, path);
            if (page == null) {
                send(exchange, 404, "<h1>The stand-in has no page " + host + path + "</h1>");
                return;
            }
            Path headers = page.resolveSibling(page.getFileName() + ".headers");
            if (Files.exists(headers)) {
                for (String line : Files.readAllLines(headers)) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        exchange.getResponseHeaders().add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                    }
                }
            }
            if (page.getFileName().toString().endsWith(".redirect")) {
                exchange.getResponseHeaders().set("Location", Files.readString(page).trim());
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            send(exchange, 200, Files.readString(page));
        }
    }

    /** The file answering {@code path} on {@code host}, or null; never one outside the host's folder. */
    private Path find(String host, String path) {
        if (!hosts.contains(host)) {
            return null;
        }
        Path root = pages.resolve(host).normalize();
        String relative = path.replaceFirst("^/+", "");
        for (String candidate : List.of(relative, relative + ".html", relative + ".redirect", relative + "/index.html", relative + "index.html")) {
            Path file = root.resolve(candidate).normalize();
            if (file.startsWith(root) && Files.isRegularFile(file) && !file.getFileName().toString().endsWith(".headers")) {
                return file;
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
