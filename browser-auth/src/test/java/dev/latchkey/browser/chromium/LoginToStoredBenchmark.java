package dev.latchkey.browser.chromium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.browser.SessionFolders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Benchmark (not a test): Slack dashboard reached → values stored. Each run installs the Slack
 * server by browser login through the real API, signs in on the local Slack stand-in (whose
 * dashboard brings the token and the {@code d} cookie with it), and takes the time from the moment
 * the stand-in sends the dashboard to the install's {@code connected} update, which comes right
 * after the credentials' transaction. That span holds the browser loading the page, the login
 * window noticing (it polls every 50 ms), reading localStorage and the cookie store, the shape
 * checks, sealing, and the H2 transaction. Run by {@code bench/browser-login.sh [RUNS]}.
 */
public final class LoginToStoredBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path work = Files.createTempDirectory("latchkey-login-bench");
        List<Duration> spans = new ArrayList<>();
        try (ServiceSites sites = ServiceSites.start(work, false)) {
            for (int run = 0; run <= runs; run++) {
                Duration span = once(sites, Files.createTempDirectory(work, "data"));
                if (run == 0) {
                    System.out.printf("warm-up run: %d ms (not counted)%n", span.toMillis());
                    continue;
                }
                spans.add(span);
                System.out.printf("run %2d: %d ms%n", run, span.toMillis());
            }
        }
        Collections.sort(spans);
        System.out.printf("dashboard reached -> values stored, %d runs: median %d ms, min %d ms, max %d ms%n",
                spans.size(), spans.get(spans.size() / 2).toMillis(), spans.get(0).toMillis(),
                spans.stream().max(Comparator.naturalOrder()).orElseThrow().toMillis());
        System.exit(0);
    }

    private static Duration once(ServiceSites sites, Path dataDir) throws Exception {
        ChromiumLogin login = new ChromiumLogin(SessionFolders.under(dataDir), sites.switches(), true, Clock.systemUTC());
        try (Backend backend = Backend.start(AppConfig.of(dataDir), login)) {
            HttpResponse<String> created = HTTP.send(request(backend, "/api/installs")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"catalogName\":\"korotovsky__slack-mcp-server\",\"auth\":\"browser\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String id = JSON.readTree(created.body()).get("id").asText();
            try (LoginWindowDriver window = LoginWindowDriver.attach(
                    SessionFolders.under(dataDir).root().resolve("slack-browser").resolve(id), "slack.com")) {
                window.type("email", "ann@example.com");
                window.type("password", ServiceSites.PASSWORD);
                window.click("submit");
                Instant deadline = Instant.now().plusSeconds(30);
                while (Instant.now().isBefore(deadline)) {
                    JsonNode install = install(backend, id);
                    if (install.get("status").asText().equals("connected")) {
                        return Duration.between(sites.dashboardServedAt(), Instant.parse(install.get("updatedAt").asText()));
                    }
                    Thread.sleep(20);
                }
                throw new IllegalStateException("install " + id + " was not connected within 30 s: " + install(backend, id));
            }
        }
    }

    private static JsonNode install(Backend backend, String id) throws Exception {
        String body = HTTP.send(request(backend, "/api/installs").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode install : JSON.readTree(body).get("installs")) {
            if (install.get("id").asText().equals(id)) {
                return install;
            }
        }
        throw new IllegalStateException("install " + id + " is gone");
    }

    private static HttpRequest.Builder request(Backend backend, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path))
                .header("Authorization", "Bearer " + backend.secret());
    }
}
