package dev.latchkey.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The desktop's side of the proxy's API against a server at the proxy URL that answers far more
 * than any proxy would: what it reads is capped, and the cap is named.
 */
class ProxyClientTest {

    private HttpServer server;
    private ProxyClient proxy;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // 8 MiB of a JSON object that never ends, streamed without a length.
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"providers\": [], \"access_token\": \"at\", \"extras\": {\"pad\": \"".getBytes(StandardCharsets.UTF_8));
                byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 128; i++) {
                    out.write(chunk);
                }
                out.write("\"}}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the client stopped reading: what the test wants
            }
        });
        server.start();
        proxy = new ProxyClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void a_token_answer_over_the_cap_is_refused_by_its_size() {
        ProxyAnswer answer = proxy.refresh("acme", "rt-1");

        assertThat(answer).isEqualTo(new ProxyAnswer.Unavailable("the OAuth proxy at " + proxy.url()
                + " answered more than 256 KiB, more than any answer of an OAuth proxy"));
    }

    @Test
    void a_provider_list_over_the_cap_is_refused_by_its_size() {
        ProxyDirectory directory = proxy.directory();

        assertThat(directory.reachable()).isFalse();
        assertThat(directory.problem()).contains("answered more than 256 KiB");
    }
}
