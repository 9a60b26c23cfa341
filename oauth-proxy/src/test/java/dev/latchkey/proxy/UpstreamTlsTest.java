package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream client trusts only what the JVM trusts: a provider endpoint with a self-signed
 * certificate, even one made out to the right address, gets no request from the proxy.
 */
class UpstreamTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @Test
    void sends_nothing_to_a_provider_whose_certificate_the_jvm_does_not_trust(@TempDir Path dir) throws Exception {
        SSLContext selfSigned = selfSignedFor127(dir.resolve("provider.p12"));
        AtomicInteger requests = new AtomicInteger();
        HttpsServer provider = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.setHttpsConfigurator(new HttpsConfigurator(selfSigned));
        provider.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"access_token\":\"at-1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        provider.start();
        try (RunningProxy proxy = RunningProxy.start(Map.of("LINEAR_CLIENT_ID", "id", "LINEAR_CLIENT_SECRET", "secret",
                "LINEAR_TOKEN_URL", "https://127.0.0.1:" + provider.getAddress().getPort() + "/oauth/token"))) {
            HttpResponse<String> response = proxy.postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                    "provider", "linear", "code", "a-code", "redirect_uri", "http://127.0.0.1:53682/oauth/callback",
                    "code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).isEqualTo(
                    "{\"error\":\"temporarily_unavailable\",\"error_description\":\"linear could not be reached\"}");
            assertThat(requests).hasValue(0);
        } finally {
            provider.stop(0);
        }
    }

    /** A server TLS context with a fresh self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    static SSLContext selfSignedFor127(Path keystore) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "provider",
                "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool (part of the JDK) failed: " + output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
