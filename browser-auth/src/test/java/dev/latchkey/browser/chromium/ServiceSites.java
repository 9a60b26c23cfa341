package dev.latchkey.browser.chromium;

import static dev.latchkey.browser.chromium.SitePages.page;
import static dev.latchkey.browser.chromium.SitePages.redirect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.latchkey.browser.QaSwitches;
import dev.latchkey.login.SessionChecks;
import dev.latchkey.qa.SelfSigned;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * Small HTTPS stand-ins for the services, on 127.0.0.1 with a self-signed certificate made by
 * {@code keytool}: Chromium reaches them under the real host names through the QA switches
 * ({@code --host-resolver-rules} maps the hosts here, {@code --ignore-certificate-errors-spki-list}
 * trusts this certificate), so the built-in provider definitions are tested unchanged.
 *
 * <ul>
 *   <li>{@code slack.com/signin}: a sign-in form (password {@value #PASSWORD}) and links, a redirect, a
 *       script and a pop-up that all try to leave for {@code evil.example}; a good sign-in goes to
 *       {@code app.slack.com/client/T222BBB}, whose page writes {@code localConfig_v2} with two
 *       teams after a moment (and forges {@code JSON.parse} in its own world) and gets its HttpOnly
 *       {@code d} cookie on {@code .slack.com} later still (decoys: {@code d} on {@code app.slack.com}, {@code d-s});</li>
 *   <li>{@code www.linkedin.com/login}: a sign-in form that sets localStorage and the HttpOnly
 *       {@code li_at} cookie and redirects to the {@code /feed/} dashboard; a wrong password shows an error;</li>
 *   <li>{@code slack.com/api/auth.test}: Slack's session check, {@code "ok": true} with the team and user
 *       for a Bearer {@code xoxc-} token of a team and the account's {@code d} cookie, until
 *       {@link #endSession}; {@code "ok": false, "error": "invalid_auth"} otherwise (HTTP 200, as Slack does);</li>
 *   <li>{@code slack.com/sso}: a server redirect to the SSO tenant {@code acme.okta.com}, whose page links
 *       to another tenant, {@code other.okta.com} (the sign-in page links to {@code acme.okta.com} directly too);</li>
 *   <li>{@code evil.example}: must never be asked for anything ({@link #requestsTo}).</li>
 * </ul>
 */
public final class ServiceSites implements AutoCloseable {

    public static final String PASSWORD = "correct horse";
    /** How long the {@code d} cookie lasts (Chromium caps any cookie at 400 days). */
    static final Duration D_LIFETIME = Duration.ofDays(30);

    private final HttpsServer server;
    private final SelfSigned certificate;
    private final String spki;
    private final java.util.Set<String> endedSessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final boolean late;
    private volatile Instant dashboardServedAt;
    private volatile Instant sessionCheckedAt;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private ServiceSites(HttpsServer server, SelfSigned certificate, boolean late) throws GeneralSecurityException {
        this.server = server;
        this.certificate = certificate;
        this.spki = certificate.spki();
        this.late = late;
    }

    /** The sites as described: Slack's values appear a moment after its dashboard. */
    public static ServiceSites start() throws Exception {
        return start(true);
    }

    /**
     * @param late true for Slack's values to appear a moment after the dashboard (as the real
     *             one does); false to have them with the dashboard, for timing what Latchkey does after it
     */
    static ServiceSites start(boolean late) throws Exception {
        SelfSigned certificate = SelfSigned.forHosts("latchkey test sites", List.of("slack.com", "app.slack.com", "www.linkedin.com"));
        SSLContext tls = certificate.serverContext();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(Executors.newFixedThreadPool(4));
        ServiceSites sites = new ServiceSites(server, certificate, late);
        server.createContext("/", sites::handle);
        server.start();
        return sites;
    }

    /** Chromium's switches that send the services' hosts here and trust this site's certificate. */
    public QaSwitches switches() {
        int port = server.getAddress().getPort();
        String rules = String.join(",", List.of("slack.com", "*.slack.com", "www.linkedin.com", "evil.example", "*.okta.com")
                .stream().map(host -> "MAP " + host + " 127.0.0.1:" + port).toList());
        return new QaSwitches(rules, spki);
    }

    /**
     * The session checks of a backend whose Java HTTP client reaches these sites for the real host
     * names (through {@code tunnel}) and trusts their certificate.
     */
    SessionChecks sessionChecks(Tunnel tunnel) throws Exception {
        return new SessionChecks(HttpClient.newBuilder().proxy(tunnel.proxy()).sslContext(certificate.clientContext())
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    /** Slack's session check refuses this account's session from now on (as after a sign-out elsewhere). */
    void endSession(String email) {
        endedSessions.add(email.replaceAll("[^a-z0-9]", ""));
    }

    /** The local port the sites listen on. */
    int port() {
        return server.getAddress().getPort();
    }

    /** Every request this site got for {@code host}, as {@code "METHOD /path"}. */
    public List<String> requestsTo(String host) {
        String prefix = host + " ";
        return requests.stream().filter(r -> r.startsWith(prefix)).map(r -> r.substring(prefix.length())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host").replaceFirst(":\\d+$", "");
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        requests.add(host + " " + method + " " + path);
        try (exchange) {
            switch (host + " " + method + " " + path.replaceFirst("^/client/T[A-Z0-9]+$", "/client/T")) {
                case "slack.com GET /signin" -> {
                    if (cookie(exchange, "account").isEmpty()) {
                        page(exchange, 200, SitePages.slackSignIn(""));
                    } else {
                        redirect(exchange, "https://app.slack.com/client/T222BBB"); // signed in already
                    }
                }
                case "slack.com POST /signin" -> slackSignedIn(exchange, form(exchange));
                case "slack.com GET /help" -> page(exchange, 200, "<h1 id=help>Slack help</h1>");
                case "slack.com GET /leave" -> redirect(exchange, "https://evil.example/redirect");
                case "slack.com GET /sso" -> redirect(exchange, "https://acme.okta.com/app/slack/sso");
                case "acme.okta.com GET /app/slack/sso" -> page(exchange, 200, SitePages.OKTA_TENANT);
                case "app.slack.com GET /client/T" -> {
                    if (!late) {
                        dCookies(exchange);
                    }
                    dashboardServedAt = Instant.now();
                    page(exchange, 200, late ? SitePages.SLACK_CLIENT : SitePages.SLACK_CLIENT_AT_ONCE);
                }
                case "app.slack.com GET /late-cookie" -> {
                    dCookies(exchange);
                    exchange.sendResponseHeaders(204, -1);
                }
                case "slack.com POST /api/auth.test" -> authTest(exchange);
                case "www.linkedin.com GET /login" -> page(exchange, 200, SitePages.linkedInSignIn(""));
                case "www.linkedin.com POST /login" -> linkedInSignedIn(exchange, form(exchange));
                case "www.linkedin.com GET /feed/" -> page(exchange, 200, "<h1 id=feed>Your feed</h1>");
                default -> page(exchange, 404, "<h1>nothing here: " + host + path + "</h1>");
            }
        }
    }

    /** When the Slack dashboard was last sent (its first byte), or null. */
    Instant dashboardServedAt() {
        return dashboardServedAt;
    }

    /** When Slack's session check last answered, or null. */
    Instant sessionCheckedAt() {
        return sessionCheckedAt;
    }

    private static void dCookies(HttpExchange exchange) {
        exchange.getResponseHeaders().add("Set-Cookie", "d=xoxd-" + cookieSecret(exchange)
                + "; Domain=slack.com; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=" + D_LIFETIME.toSeconds());
        exchange.getResponseHeaders().add("Set-Cookie", "d=xoxd-decoy-host-only; Path=/; Secure; HttpOnly");
        exchange.getResponseHeaders().add("Set-Cookie", "d-s=1700000000; Domain=slack.com; Path=/; Secure");
    }

    private void authTest(HttpExchange exchange) throws IOException {
        String bearer = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        String team = bearer.matches("Bearer xoxc-\\d+-[a-z]+-team") ? bearer.split("-")[2] : null;
        String account = cookie(exchange, "d").replaceFirst("^xoxd-", "").replace("%2Fsecret%3D", "");
        boolean ok = team != null && !account.isEmpty() && cookie(exchange, "d").endsWith("%2Fsecret%3D") && !endedSessions.contains(account);
        byte[] body = (ok ? "{\"ok\":true,\"url\":\"https://" + team + ".slack.com/\",\"team\":\"" + team
                + "\",\"user\":\"" + account + "\",\"team_id\":\"T0\",\"user_id\":\"U0\"}"
                : "{\"ok\":false,\"error\":\"invalid_auth\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        sessionCheckedAt = Instant.now();
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void slackSignedIn(HttpExchange exchange, Map<String, String> form) throws IOException {
        if (!PASSWORD.equals(form.get("password"))) {
            page(exchange, 200, SitePages.slackSignIn("Wrong password"));
            return;
        }
        // The account's name travels in a plain cookie so that the late d cookie can be told apart per account.
        exchange.getResponseHeaders().add("Set-Cookie", "account=" + form.get("email").replaceAll("[^a-z0-9]", "")
                + "; Domain=slack.com; Path=/; Secure; Max-Age=" + D_LIFETIME.toSeconds());
        redirect(exchange, "https://app.slack.com/client/T222BBB");
    }

    private static String cookieSecret(HttpExchange exchange) {
        return cookie(exchange, "account") + "%2Fsecret%3D";
    }

    /** The value of the request's cookie {@code name}, or empty text. */
    private static String cookie(HttpExchange exchange, String name) {
        String cookies = exchange.getRequestHeaders().getFirst("Cookie");
        if (cookies == null) {
            return "";
        }
        for (String pair : cookies.split(";\\s*")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "";
    }

    private static void linkedInSignedIn(HttpExchange exchange, Map<String, String> form) throws IOException {
        if (!PASSWORD.equals(form.get("password"))) {
            page(exchange, 200, SitePages.linkedInSignIn("Wrong email or password"));
            return;
        }
        exchange.getResponseHeaders().add("Set-Cookie",
                "li_at=AQEDAR-session-of-" + form.get("username").replaceAll("[^a-z0-9]", "")
                        + "; Domain=.www.linkedin.com; Path=/; Secure; HttpOnly; SameSite=None");
        page(exchange, 200, """
                <script>
                  localStorage.setItem('voyager-session', 'signed-in');
                  location.replace('/feed/');
                </script>
                """);
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
