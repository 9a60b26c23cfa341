package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.latchkey.proxy.FakeEndpoint.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way a call to a provider can fail is logged with its kind and the provider, and a run of
 * the same failure writes one line, not one per request.
 */
class FailureLogTest {

    private static final String FORM = "grant_type=authorization_code&provider=linear&code=c"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Foauth%2Fcallback"
            + "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The proxy's log lines while {@code run} drives a proxy whose linear token endpoint is {@code tokenUrl}. */
    private List<String> logWhile(String tokenUrl, Map<String, String> extra, Consumer<RunningProxy> run) {
        Map<String, String> env = new HashMap<>(Map.of("LINEAR_CLIENT_ID", "id", "LINEAR_CLIENT_SECRET", "the-secret",
                "LINEAR_TOKEN_URL", tokenUrl));
        env.putAll(extra);
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (RunningProxy proxy = RunningProxy.start(env)) {
            run.accept(proxy);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("the-secret");
        return log.lines().filter(line -> line.contains("dev.latchkey.proxy.Upstream")).toList();
    }

    private CompletableFuture<HttpResponse<String>> exchange(RunningProxy proxy) {
        return client.sendAsync(HttpRequest.newBuilder(proxy.url("/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(FORM)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void exchanges(RunningProxy proxy, int count) {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(exchange(proxy));
        }
        all.forEach(answer -> answer.orTimeout(30, TimeUnit.SECONDS).join());
    }

    @Test
    void logs_a_refused_connection_once_for_a_run_of_them() {
        FakeEndpoint closed = FakeEndpoint.answering(r -> Reply.json(200, "{}"));
        String url = closed.url("/token");
        closed.close();

        List<String> lines = logWhile(url, Map.of(), proxy -> exchanges(proxy, 5));

        assertThat(lines).singleElement().asString()
                .endsWith("WARN dev.latchkey.proxy.Upstream - linear call failed: connection refused (java.net.ConnectException)");
    }

    @Test
    void logs_an_untrusted_certificate_as_a_tls_failure(@TempDir Path dir) throws Exception {
        HttpsServer provider = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.setHttpsConfigurator(new HttpsConfigurator(UpstreamTlsTest.selfSignedFor127(dir.resolve("p.p12"))));
        provider.start();
        try {
            List<String> lines = logWhile("https://127.0.0.1:" + provider.getAddress().getPort() + "/token", Map.of(),
                    proxy -> exchanges(proxy, 3));

            assertThat(lines).singleElement().asString().contains("linear call failed: TLS failure (");
        } finally {
            provider.stop(0);
        }
    }

    @Test
    void logs_a_full_queue_and_the_timeouts_each_once() {
        try (FakeEndpoint hanging = FakeEndpoint.answering(r -> new Reply(-1, "", ""))) {
            List<String> lines = logWhile(hanging.url("/token"), Map.of("UPSTREAM_MAX_CONNECTIONS", "1",
                    "UPSTREAM_MAX_QUEUED", "1", "UPSTREAM_TIMEOUT_MS", "1000"), proxy -> exchanges(proxy, 5));

            assertThat(lines).hasSize(2);
            // Refusals that come together may be told in one line, with "(and N more like it …)" after it.
            assertThat(lines).anySatisfy(line -> assertThat(line).contains(
                    "linear call failed: queue full (java.util.concurrent.RejectedExecutionException)"));
            assertThat(lines).anySatisfy(line -> assertThat(line).endsWith(
                    "linear call failed: timeout (java.util.concurrent.TimeoutException)"));
        }
    }

    @Test
    void logs_an_answer_over_the_cap_once() {
        String huge = "{\"access_token\":\"" + "a".repeat(300_000) + "\"}";
        try (FakeEndpoint upstream = FakeEndpoint.answering(r -> Reply.json(200, huge))) {
            List<String> lines = logWhile(upstream.url("/token"), Map.of(), proxy -> exchanges(proxy, 3));

            assertThat(lines).singleElement().asString().contains("linear call failed: answer too large (");
        }
    }
}
