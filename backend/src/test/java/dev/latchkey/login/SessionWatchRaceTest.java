package dev.latchkey.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.latchkey.catalog.Catalog;
import dev.latchkey.install.AuthMethod;
import dev.latchkey.install.Credentials;
import dev.latchkey.install.Install;
import dev.latchkey.install.InstallEvent.CredentialsChanged.Why;
import dev.latchkey.install.InstallEvents;
import dev.latchkey.install.InstallService;
import dev.latchkey.install.InstallStatus;
import dev.latchkey.install.InstallStore;
import dev.latchkey.provider.ProviderRegistry;
import dev.latchkey.store.Database;
import dev.latchkey.store.SecretVault;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session check that began before a re-login must not mark the fresh session {@code needs_relogin}:
 * the real {@link SessionWatch} asks a real HTTPS service (a local server with a certificate made by
 * keytool) that holds its answer until the test has signed in again, then refuses the old session.
 */
class SessionWatchRaceTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void an_old_session_check_does_not_mark_a_fresh_relogin_needs_relogin() throws Exception {
        KeyStore keys = certificate();
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch reloggedIn = new CountDownLatch(1);
        HttpsServer service = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.setHttpsConfigurator(new HttpsConfigurator(tls(keys, true)));
        service.createContext("/check", exchange -> {
            asked.countDown();
            try {
                reloggedIn.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"ok\": false}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
        try (Database database = Database.open(dir.resolve("data"))) {
            Path providers = dir.resolve("providers");
            Files.createDirectories(providers);
            Files.writeString(providers.resolve("acme-browser.json"), """
                    {"name": "acme-browser", "displayName": "Acme (browser login)",
                     "browserAuth": {"loginUrl": "https://127.0.0.1:%1$d/login", "allowedHosts": ["127.0.0.1"],
                       "readyWhen": "^https://127\\\\.0\\\\.0\\\\.1:%1$d/home", "timeoutSeconds": 60,
                       "extract": {"token": {"script": "localStorage.token", "shape": "tok-[a-z]+"}},
                       "check": {"url": "https://127.0.0.1:%1$d/check", "method": "GET",
                                 "headers": {"Authorization": "Bearer ${token}"},
                                 "healthyWhen": {"status": 200, "json": {"ok": true}}, "accountLabel": []}},
                     "tokenEnvVarPattern": {"token": "ACME_TOKEN"}}
                    """.formatted(service.getAddress().getPort()));
            ProviderRegistry registry = ProviderRegistry.load(providers);
            assertThat(registry.problems()).isEmpty();
            InstallStore store = new InstallStore(database, SecretVault.open(dir.resolve("data")), new ObjectMapper(),
                    Clock.systemUTC());
            InstallService installs = new InstallService(Catalog.load(dir.resolve("catalog")), store, new InstallEvents(),
                    Clock.systemUTC());
            Instant now = Instant.now();
            store.insert(new Install("i-1", "acme__mcp", "Acme", AuthMethod.BROWSER, null, InstallStatus.RUNNING,
                    "3 tools: a, b, c", null, Map.of(), now, now), Map.of(), Map.of());
            installs.saveCredentials("i-1", session("tok-old"), Why.CONNECTED);
            SessionChecks checks = new SessionChecks(HttpClient.newBuilder().sslContext(tls(keys, false))
                    .followRedirects(HttpClient.Redirect.NEVER).build());
            try (SessionWatch watch = new SessionWatch(installs, store, registry, checks, id -> false, Clock.systemUTC())) {
                CompletableFuture<Void> check = CompletableFuture.runAsync(() -> watch.checkNow(installs.get("i-1")));
                assertThat(asked.await(30, TimeUnit.SECONDS)).isTrue();

                installs.transition("i-1", InstallStatus.PENDING_AUTH, "Waiting for you to sign in.");
                installs.saveCredentials("i-1", session("tok-new"), Why.RECONNECTED);
                installs.transition("i-1", InstallStatus.CONNECTED, "Signed in to Acme.");
                reloggedIn.countDown();
                check.get(30, TimeUnit.SECONDS);
            }

            Install after = installs.get("i-1");
            assertThat(after.status()).isEqualTo(InstallStatus.CONNECTED);
            assertThat(after.statusReason()).isEqualTo("Signed in to Acme.");
        } finally {
            service.stop(0);
        }
    }

    private static Credentials session(String token) {
        return new Credentials("acme-browser", AuthMethod.BROWSER, Map.of("token", token), null, null);
    }

    /** A key pair for 127.0.0.1, made by the JDK's keytool. */
    private KeyStore certificate() throws Exception {
        Path file = dir.resolve("service.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "service", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }

    /** The server's context (its key) or the client's (trusting only that certificate). */
    private static SSLContext tls(KeyStore keys, boolean server) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        if (server) {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, PASSWORD);
            context.init(factory.getKeyManagers(), null, null);
        } else {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("service", keys.getCertificate("service"));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            context.init(null, factory.getTrustManagers(), null);
        }
        return context;
    }
}
