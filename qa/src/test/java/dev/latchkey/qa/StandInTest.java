package dev.latchkey.qa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS stand-in, asked as Chromium asks it: under the host's name, over TLS, its certificate's key named by the SPKI switch. */
class StandInTest {

    static {
        // Before the client's classes load: this test sends Host itself and asks 127.0.0.1 for a named host.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    }

    @TempDir
    Path pages;

    @Test
    void serves_pages_redirects_and_headers_per_host_and_names_its_switches() throws Exception {
        Files.createDirectories(pages.resolve("login.example.test/app"));
        Files.writeString(pages.resolve("login.example.test/signin.html"), "<h1>sign in</h1>");
        Files.writeString(pages.resolve("login.example.test/signin.html.headers"), "Set-Cookie: a=b; Secure\n");
        Files.writeString(pages.resolve("login.example.test/leave.redirect"), "https://elsewhere.test/\n");
        Files.writeString(pages.resolve("login.example.test/app/index.html"), "app");
        Files.createDirectories(pages.resolve("other.test"));
        try (StandIn standIn = StandIn.serve(pages)) {
            HttpResponse<String> signin = get(standIn, "login.example.test", "/signin");
            assertThat(signin.statusCode()).isEqualTo(200);
            assertThat(signin.body()).isEqualTo("<h1>sign in</h1>");
            assertThat(signin.headers().firstValue("Set-Cookie")).hasValue("a=b; Secure");
            HttpResponse<String> leave = get(standIn, "login.example.test", "/leave");
            assertThat(leave.statusCode()).isEqualTo(302);
            assertThat(leave.headers().firstValue("Location")).hasValue("https://elsewhere.test/");
            assertThat(get(standIn, "login.example.test", "/app/").body()).isEqualTo("app");
            assertThat(get(standIn, "login.example.test", "/../other.test/x").statusCode()).isEqualTo(404);
            assertThat(get(standIn, "other.test", "/signin").statusCode()).isEqualTo(404);

            assertThat(standIn.requests("login.example.test")).containsExactly("GET /signin", "GET /leave", "GET /app/", "GET /../other.test/x");
            assertThat(standIn.hostResolverRules()).isEqualTo("MAP login.example.test 127.0.0.1:" + standIn.port()
                    + ",MAP other.test 127.0.0.1:" + standIn.port());
            assertThat(standIn.switches()).containsExactly("--host-resolver-rules", standIn.hostResolverRules(),
                    "--ignore-certificate-errors-spki-list", standIn.spkiList());
            SSLSession session = signin.sslSession().orElseThrow();
            X509Certificate served = (X509Certificate) session.getPeerCertificates()[0];
            assertThat(standIn.spkiList()).isEqualTo(Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(served.getPublicKey().getEncoded())));
        }
    }

    @Test
    void a_folder_without_host_folders_is_refused_with_a_sentence() {
        assertThatThrownBy(() -> StandIn.serve(pages)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no host folders");
    }

    /** A request to 127.0.0.1 with {@code Host: host}, trusting any certificate (the SPKI is checked above). */
    private static HttpResponse<String> get(StandIn standIn, String host, String path) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String type) { }
            public void checkServerTrusted(X509Certificate[] chain, String type) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        HttpClient client = HttpClient.newBuilder().sslContext(trustAll).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + standIn.port() + path))
                .header("Host", host).build(), HttpResponse.BodyHandlers.ofString());
    }
}
