package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.e2e.OAuthWorld;
import dev.latchkey.qa.AppApi;
import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstalledList;
import dev.latchkey.qa.pages.InstalledRow;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/**
 * Uninstalling an OAuth install from the page revokes its grant at the provider: a real
 * authorization server (mock-oauth2-server) and the real OAuth proxy ({@link OAuthWorld}), the
 * JCEF app on their providers and catalog. The sign-in is done as the system browser would do it,
 * through the API's sign-in link (the kit's system-browser stand-in is another lane's); the
 * Uninstall is clicked in the app's window. The authorization server then sees the revocation,
 * sent by the proxy with the client secret only it holds, and once the app has stopped its H2
 * file holds no install, no connection and no token.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UninstallRevocationFlowTest {

    private static final String SERVER = "e2e__acme";
    private static final String TITLE = "E2E acme";

    static Path worldDir;
    static OAuthWorld world;

    @RegisterExtension
    final LatchkeyExtension latchkey = new LatchkeyExtension()
            .dataDir(dir -> {
                copy(worldDir.resolve("providers"), dir.resolve("providers"));
                copy(worldDir.resolve("catalog"), dir.resolve("catalog"));
            })
            .args(() -> List.of("--proxy-url", world.proxyUrl()));

    @BeforeAll
    static void startWorld() throws Exception {
        worldDir = Files.createTempDirectory("latchkey-qa-oauth-");
        world = new OAuthWorld(worldDir, false);
        world.startProxy();
    }

    @AfterAll
    static void stopWorld() throws Exception {
        world.close();
        try (Stream<Path> paths = Files.walk(worldDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void uninstalling_from_the_page_revokes_the_grant_through_the_proxy_and_leaves_no_token(
            WebDriver driver, LatchkeyApp app) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        world.nextSignIn("alice", "alice@example.com");
        AppApi.Answer started = app.api().send("POST", "/api/installs",
                "{\"catalogName\": \"" + SERVER + "\", \"auth\": \"oauth\", \"userConfig\": {}}");
        assertThat(started.status()).as("install: %s", started.body()).isEqualTo(201);
        String id = started.body().path("id").asText();
        HttpResponse<String> signedIn = world.browse(started.body().path("signInUrl").asText());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);

        InstalledRow row = page.installed().row(id).awaitStatus("running");
        assertThat(row.meta()).contains("alice@example.com");
        drainRequests();

        InstalledList installed = row.uninstall();

        assertThat(installed.ids()).doesNotContain(id);
        assertThat(installed.empty()).isTrue();
        RecordedRequest revocation = takeRequestTo(world.authServer.revocationEndpointUrl(OAuthWorld.ISSUER).encodedPath());
        String form = revocation.getBody().readUtf8();
        assertThat(form).as("the revocation names a token").containsPattern("(^|&)token=[^&]+");
        assertThat(clientAuthentication(revocation, form)).as("sent by the proxy, with the secret only it holds")
                .isEqualTo(OAuthWorld.CLIENT_ID + ":proxy-held-client-secret");
        assertThat(app.api().get("/api/installs/" + id).status()).isEqualTo(404);

        // The app's database, read once the app has stopped (SIGTERM: its shutdown closes H2).
        ProcessHandle leader = app.processes().get(0);
        leader.destroy();
        leader.onExit().get(60, TimeUnit.SECONDS);
        Path database = app.dataDir().resolve("latchkey");
        assertThat(rows(database, "SELECT COUNT(*) FROM installs")).containsExactly("0");
        assertThat(rows(database, "SELECT COUNT(*) FROM connections")).containsExactly("0");
        assertThat(rows(database, "SELECT COUNT(*) FROM secrets")).as("no token left").containsExactly("0");
        assertThat(rows(database, "SELECT event || '|' || COALESCE(detail, '') FROM audit_log WHERE install_id = ? ORDER BY id", id))
                .endsWith("revoked|acme", "uninstalled|");
    }

    /** client_id:client_secret, from HTTP Basic or from the form (RFC 6749, section 2.3.1). */
    private static String clientAuthentication(RecordedRequest request, String form) {
        String basic = request.getHeader("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            return new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
        }
        return field(form, "client_id") + ":" + field(form, "client_secret");
    }

    private static String field(String form, String name) {
        for (String pair : form.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The sign-in's requests are not the revocation. */
    private static void drainRequests() {
        while (nextRequest(50) != null) {
            // discard
        }
    }

    private static RecordedRequest takeRequestTo(String path) {
        for (RecordedRequest request; (request = nextRequest(10_000)) != null; ) {
            if (path.equals(request.getPath())) {
                return request;
            }
        }
        throw new AssertionError("mock-oauth2-server received no request to " + path);
    }

    private static RecordedRequest nextRequest(long millis) {
        try {
            return world.authServer.takeRequest(millis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return null; // it throws when none came in time
        }
    }

    private static List<String> rows(Path database, String sql, Object... args) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + database + ";IFEXISTS=TRUE", "latchkey", "");
             var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            List<String> found = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    found.add(result.getString(1));
                }
            }
            return found;
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
