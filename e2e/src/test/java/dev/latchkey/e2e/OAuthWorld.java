package dev.latchkey.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.login.BrowserLogin;
import dev.latchkey.proxy.ProxyConfig;
import dev.latchkey.proxy.ProxyServer;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * Everything an OAuth install meets, real and on 127.0.0.1: an authorization server
 * (mock-oauth2-server), a strict one ({@link StrictProvider}), the OAuth proxy configured for
 * both, and the Latchkey backend on a fresh data directory whose providers and catalog name them.
 *
 * <p>Providers: {@code acme} (mock-oauth2-server, loopback redirect), {@code acme-relay} (the same
 * server, redirect through the proxy's relay page), {@code strict} ({@link StrictProvider}) and
 * {@code nowhere} (known to Latchkey, not served by the proxy). Catalog server {@code e2e__<provider>}
 * signs in with each.
 *
 * <p>Public for the JCEF flows ({@code e2e.jcef}), which start its authorization server and proxy
 * without its in-process app: the QA kit starts the app as a separate process on the same
 * providers and catalog ({@code dataDir}'s {@code providers/} and {@code catalog/}).
 */
public final class OAuthWorld implements AutoCloseable {

    public static final String ISSUER = "default";
    public static final String CLIENT_ID = "latchkey-desktop";

    public final Path dataDir;
    public final MockOAuth2Server authServer;
    final StrictProvider strict = new StrictProvider();
    final int proxyPort = freePort();
    final int appPort = freePort();
    private Javalin proxy;
    /** The login window the app connects browser-login installs with; null for none. */
    BrowserLogin login;
    Backend backend;
    private final ObjectMapper json = new ObjectMapper();
    /** Follows redirects like a browser: authorization server → (proxy relay →) loopback callback. */
    final HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.ALWAYS)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpClient api = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public OAuthWorld(Path dataDir, boolean interactiveLogin) throws IOException {
        this.dataDir = dataDir;
        authServer = new MockOAuth2Server(new OAuth2Config(interactiveLogin));
        authServer.start(InetAddress.getByName("127.0.0.1"), 0);
        warmUp();
        writeDefinitions();
    }

    /** Starts the proxy and then the app. */
    OAuthWorld start() {
        startProxy();
        startApp();
        return this;
    }

    /**
     * The first token of an issuer waits for its signing key; on a busy machine that takes seconds,
     * longer than the proxy's upstream timeout here. One token up front keeps it out of the tests.
     */
    private void warmUp() {
        String form = "grant_type=client_credentials&client_id=warm-up&client_secret=warm-up&scope=openid";
        try {
            api.send(HttpRequest.newBuilder(URI.create(loopback(authServer.tokenEndpointUrl(ISSUER).toString())))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void startProxy() {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(proxyPort));
        env.put("PUBLIC_BASE_URL", proxyUrl());
        env.put("RATE_LIMIT_PER_MINUTE", "1000000");
        env.put("UPSTREAM_TIMEOUT_MS", "4000");
        for (String name : List.of("ACME", "ACME_RELAY")) {
            env.put(name + "_CLIENT_ID", CLIENT_ID);
            env.put(name + "_CLIENT_SECRET", "proxy-held-client-secret");
            env.put(name + "_TOKEN_URL", loopback(authServer.tokenEndpointUrl(ISSUER).toString()));
            env.put(name + "_REVOKE_URL", loopback(authServer.revocationEndpointUrl(ISSUER).toString()));
        }
        env.put("STRICT_CLIENT_ID", StrictProvider.CLIENT_ID);
        env.put("STRICT_CLIENT_SECRET", StrictProvider.CLIENT_SECRET);
        env.put("STRICT_TOKEN_URL", strict.url("/token"));
        proxy = ProxyServer.create(ProxyConfig.fromEnvironment(env)).start("127.0.0.1", proxyPort);
    }

    void stopProxy() {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    void startApp() {
        startApp(AppConfig.DEFAULT_REFRESH_MARGIN);
    }

    /** Starts the app refreshing access tokens {@code refreshMargin} before they end. */
    void startApp(java.time.Duration refreshMargin) {
        backend = Backend.start(new AppConfig(dataDir, appPort, URI.create(proxyUrl()), refreshMargin), login);
    }

    void stopApp() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    public String proxyUrl() {
        return "http://127.0.0.1:" + proxyPort;
    }

    /** The next sign-in at mock-oauth2-server is {@code subject} with this e-mail. */
    public void nextSignIn(String subject, String email) {
        authServer.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, subject, "JWT", List.of(CLIENT_ID),
                Map.of("email", email), 3600));
    }

    // --- the local API, with the launch secret as a bearer token ---

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    /** {@code POST /api/installs} for {@code e2e__<provider>} by OAuth. */
    HttpResponse<String> installOAuth(String provider) {
        return post("/api/installs", "{\"catalogName\": \"e2e__" + provider + "\", \"auth\": \"oauth\", \"userConfig\": {}}");
    }

    /** Installs and signs in; answers the install's id. */
    String connect(String provider) {
        JsonNode started = json(installOAuth(provider));
        HttpResponse<String> page = browse(started.path("signInUrl").asText());
        if (page.statusCode() != 200) {
            throw new IllegalStateException("sign-in ended with " + page.statusCode() + ": " + page.body());
        }
        return started.path("id").asText();
    }

    /** What a browser does with a URL: follow every redirect; answers the last page. */
    public HttpResponse<String> browse(String url) {
        try {
            return browser.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One credential of an install, opened from the H2 file with the vault key, as the app does. */
    String credential(String installId, String name) {
        String secret = "credential." + name;
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:h2:file:"
                + dataDir.toAbsolutePath().resolve("latchkey") + ";DB_CLOSE_ON_EXIT=FALSE", "latchkey", "");
             java.sql.PreparedStatement select = connection.prepareStatement(
                     "SELECT sealed FROM secrets WHERE install_id = ? AND name = ?")) {
            select.setString(1, installId);
            select.setString(2, secret);
            try (java.sql.ResultSet row = select.executeQuery()) {
                return row.next() ? dev.latchkey.store.SecretVault.open(dataDir).open(installId, secret, row.getBytes(1)) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode install(String id) {
        for (JsonNode install : json(get("/api/installs")).path("installs")) {
            if (install.path("id").asText().equals(id)) {
                return install;
            }
        }
        return null;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + backend.secret());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeDefinitions() throws IOException {
        Path providers = Files.createDirectories(dataDir.resolve("providers"));
        Path catalog = Files.createDirectories(dataDir.resolve("catalog"));
        String mockAuthorize = loopback(authServer.authorizationEndpointUrl(ISSUER).toString());
        provider(providers, "acme", mockAuthorize, "loopback");
        provider(providers, "acme-relay", mockAuthorize, "proxy");
        provider(providers, "strict", strict.url("/authorize"), "loopback");
        provider(providers, "nowhere", "https://nowhere.example/authorize", "loopback");
        for (String name : List.of("acme", "acme-relay", "strict", "nowhere")) {
            Files.writeString(catalog.resolve("e2e__" + name + ".json"), """
                    {"name": "e2e__%s", "display_name": "E2E %s", "description": "Signs in with %s.",
                     "server": {"type": "local", "command": "node", "args": ["%s", "stdio"], "env": {"API_BASE": "https://api.example"}},
                     "archestra_config": {"oauth": {"provider": "%s", "required": true}}}
                    """.formatted(name, name, name, dev.latchkey.NpmTools.everything().toString(), name));
        }
    }

    private static void provider(Path dir, String name, String authorizationUrl, String redirect) throws IOException {
        String env = name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        Files.writeString(dir.resolve(name + ".json"), """
                {"name": "%s", "displayName": "%s", "authorizationUrl": "%s",
                 "scopes": ["openid", "email"], "scopeSeparator": " ", "usePKCE": true, "clientId": "",
                 "authorizationParams": {"access_type": "offline"}, "redirect": "%s", "authorizeIn": "system",
                 "supportsRefresh": true,
                 "tokenEnvVarPattern": {"accessToken": "%s_ACCESS_TOKEN"}}
                """.formatted(name, "Acme " + name, authorizationUrl, redirect, env));
    }

    /**
     * Signed in: the connection is stored and the install is past the sign-in, whatever the MCP
     * runtime (which starts a connected server at once) has made of it since.
     */
    static boolean signedIn(JsonNode install) {
        return List.of("connected", "installing", "starting", "running").contains(install.path("status").asText());
    }

    /** mock-oauth2-server names itself by host name; the proxy allows plain http only on 127.0.0.1. */
    public static String loopback(String url) {
        return url.replaceFirst("//[^/:]+:", "//127.0.0.1:");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stopApp();
        stopProxy();
        strict.close();
        authServer.shutdown();
    }
}
