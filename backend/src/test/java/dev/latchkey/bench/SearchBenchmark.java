package dev.latchkey.bench;

import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.ui.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Search on the Connectors page with a thousand catalog servers: keystroke → cards rendered,
 * in headless Chromium, against the real backend.
 *
 * <p>Method, per keystroke: inside the page, set the search box to the next prefix of a query
 * (typing it letter by letter, then deleting it letter by letter), take {@code t0}, dispatch the
 * {@code input} event the browser would, then take two readings: after a forced style and layout
 * of the card grid ("handler + layout"), and once the next frame has been rendered (a
 * {@code requestAnimationFrame} callback, then a task queued from it: "to next frame"; this one
 * includes waiting for the frame). The first {@value #WARM_UP} keystrokes are not counted.
 *
 * <p>Run with {@code bench/search.sh [SERVERS] [KEYSTROKES]}.
 */
public final class SearchBenchmark {

    private static final int WARM_UP = 60;
    private static final List<String> QUERIES = List.of(
            "filesystem", "slack", "google drive", "notes", "jira issues", "postgres", "weather api",
            "browser login", "calendar", "github", "memory", "zzz no match", "sheets", "linear");
    private static final String[] WORDS = ("alpha atlas beacon bridge calendar canvas cloud compass crm data "
            + "deploy docs drive email events feeds files finance forms git graph health inbox invoices "
            + "issues kanban ledger logs mail maps markets media memory metrics notes orders pages payments "
            + "photos pipeline postgres queue redis reports search sheets shop slack sprint storage support "
            + "tasks tickets time travel vault video weather wiki").split(" ");
    private static final String[][] AUTH = {
        {}, {"slack", null}, {"google", null}, {"github", null}, {"jira", null}, {"slack", "slack-browser"},
        {null, "linkedin-browser"},
    };

    private static final String MEASURE = """
            const [query, done] = arguments;
            const box = document.getElementById('search');
            const grid = document.getElementById('cards');
            box.value = query;
            const t0 = performance.now();
            box.dispatchEvent(new Event('input', {bubbles: true}));
            void grid.offsetHeight;
            const layout = performance.now() - t0;
            requestAnimationFrame(() => setTimeout(() => done([layout, performance.now() - t0,
                grid.querySelectorAll('[data-testid=card]:not([hidden])').length]), 0));
            """;

    private SearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int servers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int keystrokes = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        Path dataDir = Files.createTempDirectory("latchkey-search-bench");
        writeManifests(dataDir.resolve("catalog"), servers);
        try (Backend backend = Backend.start(AppConfig.of(dataDir))) {
            ChromeDriver driver = HeadlessChromium.start(Files.createTempDirectory("latchkey-search-bench-profile"));
            try {
                run(driver, backend, keystrokes);
            } finally {
                driver.quit();
            }
        }
    }

    private static void run(ChromeDriver driver, Backend backend, int keystrokes) {
        driver.get(backend.newLaunchUrl());
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d ->
                !d.findElements(By.cssSelector("#catalog-loading[hidden]")).isEmpty());
        long cards = (Long) driver.executeScript("return document.querySelectorAll('[data-testid=card]').length");
        double rendered = ((Number) driver.executeScript(
                "return performance.getEntriesByName('latchkey:catalog-rendered')[0].startTime")).doubleValue();
        List<String> sequence = keystrokeSequence(WARM_UP + keystrokes);
        List<Double> layout = new ArrayList<>();
        List<Double> frame = new ArrayList<>();
        for (int i = 0; i < sequence.size(); i++) {
            @SuppressWarnings("unchecked")
            List<Number> result = (List<Number>) driver.executeAsyncScript(MEASURE, sequence.get(i));
            if (i >= WARM_UP) {
                layout.add(result.get(0).doubleValue());
                frame.add(result.get(1).doubleValue());
            }
        }
        System.out.printf(Locale.ROOT, "machine: %s, %d cores; %s%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), browserVersion(driver));
        System.out.printf(Locale.ROOT, "cards in the page: %d; navigation start -> cards rendered: %.0f ms%n", cards, rendered);
        System.out.printf(Locale.ROOT, "keystrokes measured: %d (after %d warm-up)%n", layout.size(), WARM_UP);
        report("keystroke -> handler + layout", layout);
        report("keystroke -> next frame rendered", frame);
    }

    /** Each query typed letter by letter, then deleted letter by letter, round after round. */
    private static List<String> keystrokeSequence(int count) {
        List<String> sequence = new ArrayList<>();
        for (int round = 0; sequence.size() < count; round++) {
            String query = QUERIES.get(round % QUERIES.size());
            for (int i = 1; i <= query.length(); i++) {
                sequence.add(query.substring(0, i));
            }
            for (int i = query.length() - 1; i >= 0; i--) {
                sequence.add(query.substring(0, i));
            }
        }
        return sequence.subList(0, count);
    }

    private static void writeManifests(Path folder, int count) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(42);
        for (int i = 0; i < count; i++) {
            String a = WORDS[random.nextInt(WORDS.length)];
            String b = WORDS[random.nextInt(WORDS.length)];
            String name = "bench" + i + "__" + a + "-" + b;
            String[] auth = AUTH[random.nextInt(AUTH.length)];
            Files.writeString(folder.resolve(name + ".json"), """
                    {"name": "%s", "display_name": "%s %s %d",
                     "description": "Connects an assistant to %s and %s: read, search and update them, with %d tools.",
                     "server": {"type": "local", "command": "npx", "args": ["-y", "%s-mcp", "${user_config.folder}"]},
                     "user_config": {"folder": {"type": "directory", "title": "Folder", "required": true}},
                     "archestra_config": {"oauth": {"provider": %s, "required": %s},
                                          "browser_based": {"required": false, "provider": %s}}}
                    """.formatted(name, capitalize(a), capitalize(b), i, a, b, 3 + random.nextInt(20), a,
                    quoted(auth.length > 0 ? auth[0] : null), auth.length > 0 && auth[0] != null,
                    quoted(auth.length > 1 ? auth[1] : null)));
        }
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static void report(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%-34s p50 %6.2f ms   p95 %6.2f ms   max %6.2f ms%n", what,
                percentile(sorted, 50), percentile(sorted, 95), sorted.get(sorted.size() - 1));
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String browserVersion(ChromeDriver driver) {
        Map<String, Object> caps = driver.getCapabilities().asMap();
        return "Chromium " + caps.get("browserVersion") + " headless";
    }
}
