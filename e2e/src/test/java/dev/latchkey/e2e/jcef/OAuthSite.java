package dev.latchkey.e2e.jcef;

import dev.latchkey.e2e.OAuthWorld;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.SystemBrowser;
import dev.latchkey.qa.pages.BrowserTab;
import dev.latchkey.qa.pages.CallbackPage;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstalledRow;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The OAuth side of the JCEF flows, for a whole test class: e2e's {@link OAuthWorld} without its
 * in-process app — mock-oauth2-server with its interactive sign-in form, and the real OAuth proxy
 * holding the client secret — whose providers and catalog are copied into the data dir of the app
 * the kit starts ({@link #install}), pointed at that proxy by {@link #args()}. Catalog servers:
 * {@value #SERVER} (OAuth at {@value #PROVIDER}) and {@value #SWITCHABLE} (OAuth at
 * {@value #PROVIDER}, or browser login at Acme's stand-in, {@link AcmeSite#PROVIDER}).
 */
final class OAuthSite implements BeforeAllCallback, AfterAllCallback {

    static final String PROVIDER = "acme";
    static final String SERVER = "e2e__acme";
    static final String TITLE = "E2E acme";
    static final String SWITCHABLE = "e2e__switch";
    static final String SWITCHABLE_TITLE = "E2E switch";

    private Path folder;
    private OAuthWorld world;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        folder = Files.createTempDirectory("latchkey-oauth-site-");
        world = new OAuthWorld(folder, true);
        world.startProxy();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        world.close();
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /**
     * Signs in as {@code user} ({@code user@example.com}) on mock-oauth2-server's form in {@code tab},
     * the page the app handed the system browser, and answers the app's callback page that follows.
     */
    static CallbackPage signIn(BrowserTab tab, String user) {
        return tab.type("input[name=username]", user).type("[name=claims]", "{\"email\": \"" + user + "@example.com\"}")
                .click("input[type=submit]").awaitCallback();
    }

    /** The app of a flow that signs in here: this site's providers, catalog and proxy, {@code browser} its system browser. */
    LatchkeyExtension app(SystemBrowser browser) {
        return new LatchkeyExtension().dataDir(this::install).args(this::args).environment(browser::environment);
    }

    /** Installs {@value #SERVER} from its catalog card as a user does: its new row, once it waits for the sign-in. */
    static InstalledRow installFromCard(ConnectorsPage page) {
        List<String> before = page.installed().ids();
        return page.catalog().search("e2e acme").card(SERVER).install().install().installed().added(before)
                .awaitStatus("pending_auth");
    }

    /** The app's {@code --proxy-url}: the real proxy, which holds the client secret of {@value #PROVIDER}. */
    List<String> args() {
        return List.of("--proxy-url", world.proxyUrl());
    }

    /** Copies the world's providers and catalog into {@code dataDir}, with {@value #SWITCHABLE} (needs {@link AcmeSite#install}). */
    void install(Path dataDir) throws IOException {
        for (String kind : List.of("providers", "catalog")) {
            Path into = Files.createDirectories(dataDir.resolve(kind));
            try (Stream<Path> files = Files.list(folder.resolve(kind))) {
                for (Path file : files.toList()) {
                    Files.copy(file, into.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        String oauthServer = Files.readString(folder.resolve("catalog").resolve(SERVER + ".json"));
        Files.writeString(dataDir.resolve("catalog").resolve(SWITCHABLE + ".json"), oauthServer
                .replace("\"" + SERVER + "\"", "\"" + SWITCHABLE + "\"")
                .replace("\"" + TITLE + "\"", "\"" + SWITCHABLE_TITLE + "\"")
                .replace("{\"oauth\": {\"provider\": \"acme\", \"required\": true}}", "{\"oauth\": {\"provider\": \"acme\", "
                        + "\"required\": true}, \"browser_based\": {\"provider\": \"" + AcmeSite.PROVIDER + "\"}}"));
    }

    /** Forgets what the authorization server was asked so far (the sign-ins). */
    void forgetRequests() {
        while (nextRequest(50) != null) {
            // discard
        }
    }

    /** Waits up to 30 s for a request to the authorization server's revocation endpoint: its form body. */
    String awaitRevocation() {
        return awaitRevocationRequest().form();
    }

    /**
     * A revocation the authorization server received: its form, and who sent it as
     * {@code client_id:client_secret} (HTTP Basic or the form's fields, RFC 6749 section 2.3.1).
     */
    record Revocation(String form, String client) {
    }

    /** Waits up to 30 s for a request to the authorization server's revocation endpoint. */
    Revocation awaitRevocationRequest() {
        String path = world.authServer.revocationEndpointUrl(OAuthWorld.ISSUER).encodedPath();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            RecordedRequest request = nextRequest(1_000);
            if (request != null && path.equals(request.getPath())) {
                String form = request.getBody().readUtf8();
                String basic = request.getHeader("Authorization");
                return new Revocation(form, basic != null && basic.startsWith("Basic ")
                        ? new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8)
                        : field(form, "client_id") + ":" + field(form, "client_secret"));
            }
        }
        throw new AssertionError("the authorization server was asked no revocation (" + path + ") within 30 s");
    }

    private static String field(String form, String name) {
        for (String pair : form.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private RecordedRequest nextRequest(long millis) {
        try {
            return world.authServer.takeRequest(millis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return null; // mock-oauth2-server throws when none came in time
        }
    }
}
