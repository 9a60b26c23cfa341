import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JCEF window's start and idle memory: spawn the app (natives already extracted, a fresh
 * data dir each run), and read, inside the Connectors page, when it was first painted (First
 * Contentful Paint) and when the frame with the catalog's cards was drawn, both as epoch times
 * from {@code performance.timeOrigin}, against the spawn time. Where the time goes: when the
 * backend was up (its {@code instance.json} appears), when CEF was (its DevTools port answers),
 * and when the page's navigation started ({@code performance.timeOrigin}). Then, after IDLE
 * seconds without input, the PSS of the whole process tree (the JVM and every CEF helper, each
 * named by its {@code --type}) from {@code /proc/PID/smaps_rollup}.
 *
 * <p>Run with the single-file launcher: {@code java bench/JcefWindow.java RUNS IDLE -- COMMAND...};
 * the command gets {@code --data-dir DIR --remote-debugging-port P} appended (the page is read
 * through that port). DISPLAY and LATCHKEY_JCEF_DIR come from the environment (bench/jcef-window.sh).
 */
public class JcefWindow {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern PAGE = Pattern.compile(
            "\"title\"\\s*:\\s*\"Latchkey — Connectors\".*?\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+)\"", Pattern.DOTALL);
    /**
     * Run in the page as soon as it is a target: waits (one check per animation frame) until the
     * catalog's cards are in the document, then for the next frame to be drawn, and answers that
     * frame's time, the First Contentful Paint, and when the /api/catalog answer ended, as epoch
     * milliseconds. If the cards were there at the first check, the frame time is late by however
     * long attaching took: {@code atFirstCheck} says so.
     */
    private static final String PAINTS = """
            new Promise(resolve => {
              let checks = 0;
              const check = () => {
                checks++;
                const cards = document.querySelectorAll('[data-testid=card]').length;
                if (cards === 0) { requestAnimationFrame(check); return; }
                requestAnimationFrame(() => {
                  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                  const api = performance.getEntriesByType('resource').find(e => e.name.includes('/api/catalog'));
                  resolve(JSON.stringify({catalog: performance.timeOrigin + performance.now(),
                    navigation: performance.timeOrigin,
                    fcp: performance.timeOrigin + (fcp ? fcp.startTime : 0),
                    api: performance.timeOrigin + (api ? api.responseEnd : 0),
                    cards: cards, atFirstCheck: checks === 1}));
                });
              };
              check();
            })""";

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int idleSeconds = Integer.parseInt(args[1]);
        List<String> command = Arrays.asList(args).subList(3, args.length);
        run(command, 0, Files.createTempDirectory("latchkey-bench-warmup")); // page cache, CDS archive
        List<Double> backend = new ArrayList<>();
        List<Double> cef = new ArrayList<>();
        List<Double> navigation = new ArrayList<>();
        List<Double> fcp = new ArrayList<>();
        List<Double> catalog = new ArrayList<>();
        List<Double> pss = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Result result = run(command, idleSeconds, Files.createTempDirectory("latchkey-bench"));
            System.out.printf("run %d: backend up %.0f ms, CEF up %.0f ms, page navigation %.0f ms, first paint %.0f ms, "
                            + "/api/catalog answered %.0f ms, %d cards painted %.0f ms%s, idle PSS %.0f MB (%s)%n",
                    i + 1, result.backendMs, result.cefMs, result.navigationMs, result.fcpMs, result.apiMs, result.cards,
                    result.catalogMs,
                    result.atFirstCheck ? " (upper bound: cards were there when the page was first asked)" : "",
                    result.pssMb, result.pssParts);
            backend.add(result.backendMs);
            cef.add(result.cefMs);
            navigation.add(result.navigationMs);
            fcp.add(result.fcpMs);
            catalog.add(result.catalogMs);
            pss.add(result.pssMb);
        }
        report("spawn -> backend up (instance.json written), ms", backend);
        report("spawn -> CEF up (DevTools port answers), ms", cef);
        report("spawn -> the page's navigation starts, ms", navigation);
        report("spawn -> first contentful paint of the Connectors page, ms", fcp);
        report("spawn -> catalog cards painted in the Connectors page, ms", catalog);
        report("idle PSS of the process tree after " + idleSeconds + " s, MB", pss);
    }

    record Result(double windowMs, double backendMs, double cefMs, double navigationMs, double fcpMs, double apiMs,
                          double catalogMs, int cards, boolean atFirstCheck, double pssMb, String pssParts) {
    }

    static Result run(List<String> command, int idleSeconds, Path dataDir) throws Exception {
        int port = freePort();
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("--data-dir", dataDir.toString(), "--remote-debugging-port", Integer.toString(port)));
        Path output = Files.createTempFile("latchkey-bench-output", ".txt"); // shown when the page never comes
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile());
        long spawnedAt = System.currentTimeMillis();
        Process app = builder.start();
        try {
            Milestones seen;
            try {
                seen = awaitPage(port, app, dataDir);
            } catch (IllegalStateException e) {
                List<String> lines = Files.readAllLines(output);
                throw new IllegalStateException(e.getMessage() + "; the app's last lines:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())), e);
            }
            String socket = seen.socket();
            String paints = evaluate(socket, PAINTS);
            double navigation = number(paints, "navigation") - spawnedAt;
            double fcp = number(paints, "fcp") - spawnedAt;
            double api = number(paints, "api") - spawnedAt;
            double catalog = number(paints, "catalog") - spawnedAt;
            int cards = (int) number(paints, "cards");
            boolean atFirstCheck = paints.contains("\"atFirstCheck\":true");
            TimeUnit.SECONDS.sleep(idleSeconds);
            long javaKb = pssKb(app.toHandle());
            StringBuilder parts = new StringBuilder(String.format("JVM %.0f MB", javaKb / 1024.0));
            long helpersKb = 0;
            for (ProcessHandle helper : app.descendants().toList()) {
                long kb = pssKb(helper);
                helpersKb += kb;
                parts.append(String.format(", %s %.0f", kind(helper), kb / 1024.0));
            }
            return new Result(seen.windowAt() - spawnedAt, seen.backendAt() - spawnedAt, seen.cefAt() - spawnedAt, navigation, fcp, api, catalog, cards,
                    atFirstCheck, (javaKb + helpersKb) / 1024.0, parts.toString());
        } finally {
            List<ProcessHandle> tree = app.descendants().toList();
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
            tree.forEach(ProcessHandle::destroyForcibly);
            Files.deleteIfExists(output);
        }
    }

    /**
     * When the backend was up (its instance.json written), when CEF was (its DevTools port answers),
     * as epoch milliseconds, each to within one poll; and the page's DevTools socket.
     */
    private record Milestones(long windowAt, long backendAt, long cefAt, String socket) {
    }

    /** Polls the data dir and the debugging port until the Connectors page is a target. */
    private static Milestones awaitPage(int port, Process app, Path dataDir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long backendAt = 0;
        long windowAt = 0;
        long windowAsked = 0;
        long cefAt = 0;
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the app exited with " + app.exitValue() + " before its page loaded");
            }
            // The app's window mapped on the display (xwininfo, asked every 50 ms until it is).
            if (windowAt == 0 && System.currentTimeMillis() - windowAsked >= 50) {
                windowAsked = System.currentTimeMillis();
                windowAt = windowShown() ? System.currentTimeMillis() : 0;
            }
            if (backendAt == 0 && Files.exists(dataDir.resolve("instance.json"))) {
                backendAt = System.currentTimeMillis();
            }
            try {
                String list = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                cefAt = cefAt == 0 ? System.currentTimeMillis() : cefAt;
                Matcher page = PAGE.matcher(list);
                if (page.find()) {
                    long now = System.currentTimeMillis();
                    return new Milestones(windowAt == 0 ? now : windowAt, backendAt == 0 ? now : backendAt, cefAt, page.group(1));
                }
            } catch (IOException e) {
                // the port is not open yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no Connectors page on the debugging port within 120 s");
    }

    /** True when a window titled Latchkey is mapped (viewable) on DISPLAY. */
    private static boolean windowShown() throws Exception {
        Process info = new ProcessBuilder("xwininfo", "-name", "Latchkey").redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes());
        return info.waitFor() == 0 && out.contains("IsViewable");
    }

    /** Runtime.evaluate over the page's DevTools socket, awaiting the promise; the result's JSON text. */
    private static String evaluate(String socket, String expression) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(socket), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    answer.complete(text.toString());
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        String escaped = expression.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        ws.sendText("{\"id\":1,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"" + escaped
                + "\",\"awaitPromise\":true,\"returnByValue\":true}}", true);
        String reply = answer.get(60, TimeUnit.SECONDS);
        ws.abort();
        Matcher value = Pattern.compile("\"value\":\"(.*)\"}}}?$").matcher(reply);
        if (!value.find()) {
            throw new IllegalStateException("unexpected DevTools answer: " + reply);
        }
        return value.group(1).replace("\\\"", "\"");
    }

    private static double number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([0-9.]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    /** What a CEF helper is, from its command line: renderer, gpu-process, zygote, network, storage… */
    private static String kind(ProcessHandle process) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
            Matcher sub = Pattern.compile("--utility-sub-type=\\S*?(\\w+)\\.mojom").matcher(line);
            if (sub.find()) {
                return sub.group(1);
            }
            Matcher type = Pattern.compile("--type=(\\S+)").matcher(line);
            return type.find() ? type.group(1) : "other";
        } catch (IOException e) {
            return "gone";
        }
    }

    /** Proportional set size of one process, kB; 0 when it has gone. */
    private static long pssKb(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // exited meanwhile
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void report(String what, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf("%s: median %.0f (min %.0f, max %.0f, %d runs)%n", what, median, sorted.get(0),
                sorted.get(sorted.size() - 1), sorted.size());
    }
}
