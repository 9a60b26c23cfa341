package dev.latchkey.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** The real proxy, started on a free loopback port from an environment map, with a plain HTTP client. */
final class RunningProxy implements AutoCloseable {

    private final Javalin app;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private RunningProxy(Javalin app) {
        this.app = app;
    }

    static RunningProxy start(Map<String, String> env) {
        return start(env, java.time.Clock.systemUTC());
    }

    /** The proxy with the clock its rate limit reads. */
    static RunningProxy start(Map<String, String> env, java.time.Clock clock) {
        Map<String, String> all = new HashMap<>(Map.of("PORT", "0", "PUBLIC_BASE_URL", "https://proxy.test"));
        all.putAll(env);
        ProxyConfig config = ProxyConfig.fromEnvironment(all);
        return new RunningProxy(ProxyServer.create(config, clock).start("127.0.0.1", 0));
    }

    /** The Jetty server under the proxy, for tests of how it is set up. */
    org.eclipse.jetty.server.Server jetty() {
        return app.jettyServer().server();
    }

    /** The proxy's HTTP client towards providers. */
    org.eclipse.jetty.client.HttpClient upstreamClient() {
        return jetty().getBean(Upstream.class).getBean(org.eclipse.jetty.client.HttpClient.class);
    }

    /** The buffer Javalin copies each answer through. */
    int answerCopyBytes() {
        return app.unsafe.http.responseBufferSize;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    HttpResponse<String> postForm(String path, Map<String, String> fields) {
        return send(HttpRequest.newBuilder(url(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(UpstreamAnswer.form(fields))).build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(url(path)).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
