import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MCP runtime, measured on the app as a user runs it: {@code java bench/RuntimeBench.java RUNS SERVERS -- COMMAND...}
 * (the command gets {@code --headless --data-dir DIR}).
 * <ol>
 *   <li>install → tools listed: POST /api/installs of the built-in server-everything (npx), until
 *       its status is {@code running} (initialize and tools/list done); once with an empty npm cache,
 *       then RUNS times with the cache warm (each a new install, uninstalled after);</li>
 *   <li>SERVERS installs at once: time until all are {@code running}, then the memory (PSS, from
 *       /proc/PID/smaps_rollup) of the app and of all its servers' processes.</li>
 * </ol>
 */
public class RuntimeBench {

    private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/\\?code=");
    /** The API secret in {@code <data dir>/instance.json}, written before the launch URL is printed. */
    private static final Pattern API_TOKEN = Pattern.compile("\"apiToken\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final String EVERYTHING = "{\"catalogName\": \"modelcontextprotocol__everything\", \"auth\": \"none\"}";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String base;
    private static String token;

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int servers = Integer.parseInt(args[1]);
        List<String> command = new ArrayList<>(List.of(args).subList(3, args.length));
        Path dataDir = Files.createTempDirectory("latchkey-runtime-bench");
        command.addAll(List.of("--headless", "--data-dir", dataDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("DISPLAY");
        Process app = builder.start();
        try {
            Matcher url = launchUrl(app);
            base = "http://127.0.0.1:" + url.group(1);
            Matcher apiToken = API_TOKEN.matcher(Files.readString(dataDir.resolve("instance.json")));
            if (!apiToken.find()) {
                throw new IllegalStateException("instance.json holds no apiToken");
            }
            token = apiToken.group(1);
            System.out.printf("load average at start: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());

            long cold = installUntilRunning(true);
            System.out.printf("install -> tools listed, empty npm cache (npx fetches): %,d ms%n", cold);
            List<Long> warm = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                warm.add(installUntilRunning(true));
            }
            Collections.sort(warm);
            System.out.printf("install -> tools listed, warm npm cache: median %,d ms (min %,d, max %,d, %d runs)%n",
                    warm.get(warm.size() / 2), warm.get(0), warm.get(warm.size() - 1), runs);

            long t0 = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                ids.add(install());
            }
            awaitRunning(ids);
            long all = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("%d installs at once -> all running: %,d ms%n", servers, all);
            Thread.sleep(2000);
            long appPss = pss(app.pid());
            List<ProcessHandle> tree = app.toHandle().descendants().toList();
            long serversPss = tree.stream().mapToLong(process -> pss(process.pid())).sum();
            System.out.printf("PSS with %d servers running: app %,d KiB; its %d child processes together %,d KiB"
                    + " (%,d KiB per server); whole tree %,d KiB%n", servers, appPss, tree.size(), serversPss,
                    serversPss / servers, appPss + serversPss);
            System.out.printf("load average at end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        } finally {
            app.destroy();
            app.waitFor();
        }
    }

    private static long installUntilRunning(boolean uninstall) throws Exception {
        long t0 = System.nanoTime();
        String id = install();
        awaitRunning(List.of(id));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (uninstall) {
            send("DELETE", "/api/installs/" + id, null);
        }
        return ms;
    }

    private static String install() throws Exception {
        HttpResponse<String> created = send("POST", "/api/installs", EVERYTHING);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("install answered " + created.statusCode() + ": " + created.body());
        }
        Matcher id = ID.matcher(created.body());
        id.find();
        return id.group(1);
    }

    /** Polls GET /api/installs every 10 ms until every id is running; a failed one stops the benchmark. */
    private static void awaitRunning(List<String> ids) throws Exception {
        Set<String> waiting = new HashSet<>(ids);
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not running after 10 minutes: " + waiting);
            }
            String body = send("GET", "/api/installs", null).body();
            for (String install : body.split("\\},\\{\"id\"")) {
                for (String id : List.copyOf(waiting)) {
                    if (install.contains(id)) {
                        if (install.contains("\"status\":\"running\"")) {
                            waiting.remove(id);
                        } else if (install.contains("\"status\":\"failed\"")) {
                            throw new IllegalStateException("install failed: " + install);
                        }
                    }
                }
            }
            Thread.sleep(10);
        }
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Proportional set size in KiB, from /proc/PID/smaps_rollup; 0 for a process gone meanwhile. */
    private static long pss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static Matcher launchUrl(Process app) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher url = URL.matcher(line);
            if (url.find()) {
                return url;
            }
        }
        throw new IllegalStateException("the app printed no launch URL");
    }
}
