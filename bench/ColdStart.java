import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start of the backend: from spawning the app's process to the first 200 answer of
 * /api/catalog. Run with the single-file launcher: {@code java bench/ColdStart.java RUNS -- COMMAND...};
 * the command gets {@code --headless --data-dir DIR} appended. Each run gets a fresh data dir
 * ("first start": migrations run) and then a second start on the same dir ("later start").
 */
public class ColdStart {

    private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:(\\d+))/\\?code=([A-Za-z0-9_-]+)");
    /** The API secret in {@code <data dir>/instance.json}, written before the launch URL is printed. */
    private static final Pattern API_TOKEN = Pattern.compile("\"apiToken\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        List<String> command = Arrays.asList(args).subList(2, args.length);
        List<Double> first = new ArrayList<>();
        List<Double> later = new ArrayList<>();
        start(command, Files.createTempDirectory("latchkey-bench-warmup"));
        for (int i = 0; i < runs; i++) {
            Path dataDir = Files.createTempDirectory("latchkey-bench");
            first.add(start(command, dataDir));
            later.add(start(command, dataDir));
        }
        report("first start (empty data dir, migrations run)", first);
        report("later start (migrated data dir)", later);
    }

    private static double start(List<String> command, Path dataDir) throws Exception {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("--headless", "--data-dir", dataDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("DISPLAY");
        long t0 = System.nanoTime();
        Process app = builder.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            Matcher url = null;
            while (url == null) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                Matcher m = URL.matcher(line);
                url = m.find() ? m : null;
            }
            if (url == null) {
                throw new IllegalStateException("the app printed no launch URL");
            }
            Matcher token = API_TOKEN.matcher(Files.readString(dataDir.resolve("instance.json")));
            if (!token.find()) {
                throw new IllegalStateException("instance.json holds no apiToken");
            }
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url.group(1) + "/api/catalog"))
                            .header("Authorization", "Bearer " + token.group(1)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/api/catalog answered " + response.statusCode());
            }
            return (System.nanoTime() - t0) / 1e6;
        } finally {
            app.destroy();
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void report(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("%-46s runs=%d  min=%.0f ms  median=%.0f ms  max=%.0f ms%n", what, sorted.size(),
                sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }
}
