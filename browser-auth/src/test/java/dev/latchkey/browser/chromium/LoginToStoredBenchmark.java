package dev.latchkey.browser.chromium;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.browser.SessionFolders;
import dev.latchkey.login.BrowserLogin;
import dev.latchkey.login.LoginCancel;
import dev.latchkey.login.LoginOutcome;
import dev.latchkey.login.LoginRequest;
import dev.latchkey.login.SessionKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark (not a test): Slack dashboard reached → values stored. One backend (started once, not
 * timed) with the Chromium login window and the local Slack stand-in, whose dashboard brings the
 * token and the {@code d} cookie with it. Each run installs a server by browser login through the
 * real API, signs in, and splits the span from the moment the stand-in sends the dashboard to the
 * install's {@code status connected} audit row (written right after the credentials' transaction
 * and the CredentialsChanged event):
 * <ul>
 *   <li>window: dashboard sent → the login port returns the values (the page loads, the window
 *       notices readyWhen, reads localStorage by script and the cookies over CDP, closes Chromium);</li>
 *   <li>check: → Slack's session check ({@code auth.test}, through the tunnel) answered;</li>
 *   <li>store: → sealed, stored in one H2 transaction, announced, status {@code connected}.</li>
 * </ul>
 * The server is a stand-in ({@code sleep}) so that no MCP server start loads the machine between
 * runs; each install is uninstalled after its run. Run by {@code bench/browser-login.sh [RUNS]}.
 */
public final class LoginToStoredBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path work = Files.createTempDirectory("latchkey-login-bench");
        Path dataDir = Files.createDirectories(work.resolve("data"));
        writeServer(dataDir);
        List<long[]> rows = new ArrayList<>();
        try (ServiceSites sites = ServiceSites.start(false); Tunnel tunnel = Tunnel.to(sites.port())) {
            TimedLogin login = new TimedLogin(new ChromiumLogin(SessionFolders.under(dataDir), sites.switches(), true,
                    Clock.systemUTC()));
            try (Backend backend = Backend.start(AppConfig.of(dataDir), login, sites.sessionChecks(tunnel))) {
                for (int run = 0; run <= runs; run++) {
                    long[] row = once(backend, sites, login, dataDir);
                    System.out.printf("%s: total %d ms = window %d + check %d + store %d%n",
                            run == 0 ? "warm-up (not counted)" : "run " + run, row[0], row[1], row[2], row[3]);
                    if (run > 0) {
                        rows.add(row);
                    }
                }
            }
        }
        String[] names = {"total", "window", "check", "store"};
        for (int column = 0; column < names.length; column++) {
            int c = column;
            List<Long> values = rows.stream().map(row -> row[c]).sorted().toList();
            System.out.printf("%-6s %d runs: median %d ms, min %d ms, max %d ms%n", names[column], values.size(),
                    values.get(values.size() / 2), values.get(0), values.get(values.size() - 1));
        }
        System.exit(0);
    }

    /** One sign-in: total, window, check and store, in milliseconds. */
    private static long[] once(Backend backend, ServiceSites sites, TimedLogin login, Path dataDir) throws Exception {
        String id = JSON.readTree(send(backend, "POST", "/api/installs",
                "{\"catalogName\":\"bench__slack\",\"auth\":\"browser\"}")).get("id").asText();
        try (LoginWindowDriver window = LoginWindowDriver.attach(
                SessionFolders.under(dataDir).root().resolve("slack-browser").resolve(id), "slack.com")) {
            window.type("email", "ann@example.com");
            window.type("password", ServiceSites.PASSWORD);
            window.click("submit");
            Instant connected = waitForConnectedRow(dataDir, id);
            Instant dashboard = sites.dashboardServedAt();
            Instant returned = login.returnedAt.get(id);
            Instant checked = sites.sessionCheckedAt();
            send(backend, "DELETE", "/api/installs/" + id, null);
            return new long[] {millis(dashboard, connected), millis(dashboard, returned), millis(returned, checked),
                    millis(checked, connected)};
        }
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    /** The time of the install's {@code status connected} audit row, read from the H2 file the app has open. */
    private static Instant waitForConnectedRow(Path dataDir, String id) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("latchkey") + ";DB_CLOSE_ON_EXIT=FALSE";
        while (Instant.now().isBefore(deadline)) {
            try (Connection connection = DriverManager.getConnection(url, "latchkey", "");
                 PreparedStatement select = connection.prepareStatement("SELECT at FROM audit_log "
                         + "WHERE install_id = ? AND event = 'status' AND detail = 'connected' ORDER BY id")) {
                select.setString(1, id);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        return row.getTimestamp(1).toInstant();
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("install " + id + " was not connected within 30 s");
    }

    private static String send(Backend backend, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path))
                .header("Authorization", "Bearer " + backend.secret()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A Slack server that signs in by browser login and whose process is a stand-in that costs nothing. */
    private static void writeServer(Path dataDir) throws Exception {
        Path catalog = Files.createDirectories(dataDir.resolve("catalog"));
        Files.writeString(catalog.resolve("bench__slack.json"), """
                {"name": "bench__slack", "display_name": "Bench Slack", "description": "Signs in to Slack by browser login.",
                 "server": {"type": "local", "command": "sleep", "args": ["600"], "env": {}},
                 "archestra_config": {"browser_based": {"required": true, "provider": "slack-browser"}}}
                """);
    }

    /** The login port, noting when each sign-in handed its outcome back. */
    private static final class TimedLogin implements BrowserLogin {

        private final BrowserLogin inner;
        final Map<String, Instant> returnedAt = new ConcurrentHashMap<>();

        TimedLogin(BrowserLogin inner) {
            this.inner = inner;
        }

        @Override
        public LoginOutcome signIn(LoginRequest request, LoginCancel cancel) {
            LoginOutcome outcome = inner.signIn(request, cancel);
            returnedAt.put(request.session().account(), Instant.now());
            return outcome;
        }

        @Override
        public void forget(SessionKey session) {
            inner.forget(session);
        }
    }
}
