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
 * from {@code performance.timeOrigin}, against the spawn time. Then, after IDLE seconds
 * without input, the PSS of the whole process tree (the JVM and every CEF helper) from
 * {@code /proc/PID/smaps_rollup}.
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
        List<Double> fcp = new ArrayList<>();
        List<Double> catalog = new ArrayList<>();
        List<Double> pss = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Result result = run(command, idleSeconds, Files.createTempDirectory("latchkey-bench"));
            System.out.printf("run %d: first paint %.0f ms, /api/catalog answered %.0f ms, %d cards painted %.0f ms%s, idle PSS %.0f MB (%s)%n",
                    i + 1, result.fcpMs, result.apiMs, result.cards, result.catalogMs,
                    result.atFirstCheck ? " (upper bound: cards were there when the page was first asked)" : "",
                    result.pssMb, result.pssParts);
            fcp.add(result.fcpMs);
            catalog.add(result.catalogMs);
            pss.add(result.pssMb);
        }
        report("spawn -> first contentful paint of the Connectors page, ms", fcp);
        report("spawn -> catalog cards painted in the Connectors page, ms", catalog);
        report("idle PSS of the process tree after " + idleSeconds + " s, MB", pss);
    }

    private record Result(double fcpMs, double apiMs, double catalogMs, int cards, boolean atFirstCheck, double pssMb,
                          String pssParts) {
    }

    private static Result run(List<String> command, int idleSeconds, Path dataDir) throws Exception {
        int port = freePort();
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("--data-dir", dataDir.toString(), "--remote-debugging-port", Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        long spawnedAt = System.currentTimeMillis();
        Process app = builder.start();
        try {
            String socket = awaitPage(port, app);
            String paints = evaluate(socket, PAINTS);
            double fcp = number(paints, "fcp") - spawnedAt;
            double api = number(paints, "api") - spawnedAt;
            double catalog = number(paints, "catalog") - spawnedAt;
            int cards = (int) number(paints, "cards");
            boolean atFirstCheck = paints.contains("\"atFirstCheck\":true");
            TimeUnit.SECONDS.sleep(idleSeconds);
            long javaKb = pssKb(app.toHandle());
            long helpersKb = app.descendants().mapToLong(JcefWindow::pssKb).sum();
            long helpers = app.descendants().count();
            return new Result(fcp, api, catalog, cards, atFirstCheck, (javaKb + helpersKb) / 1024.0,
                    String.format("JVM %.0f MB + %d CEF processes %.0f MB", javaKb / 1024.0, helpers, helpersKb / 1024.0));
        } finally {
            List<ProcessHandle> tree = app.descendants().toList();
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Polls the debugging port until the Connectors page is a target; its DevTools socket. */
    private static String awaitPage(int port, Process app) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the app exited with " + app.exitValue() + " before its page loaded");
            }
            try {
                String list = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher page = PAGE.matcher(list);
                if (page.find()) {
                    return page.group(1);
                }
            } catch (IOException e) {
                // the port is not open yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no Connectors page on the debugging port within 120 s");
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
