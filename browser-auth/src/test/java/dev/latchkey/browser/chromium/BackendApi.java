package dev.latchkey.browser.chromium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.latchkey.Backend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

/** The test's calls to a running backend's API, as the web page makes them (with the launch secret). */
public final class BackendApi {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Backend backend;

    public BackendApi(Backend backend) {
        this.backend = backend;
    }

    public JsonNode post(String path, String body, int expected) throws Exception {
        HttpResponse<String> response = send("POST", path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** Any method; the answer as it came. */
    public HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String listing() throws Exception {
        HttpResponse<String> response = HTTP.send(request("/api/installs").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    public JsonNode install(String id) throws Exception {
        for (JsonNode install : JSON.readTree(listing()).get("installs")) {
            if (install.get("id").asText().equals(id)) {
                return install;
            }
        }
        throw new AssertionError("no install " + id + " in " + listing());
    }

    public String status(String id) throws Exception {
        for (JsonNode install : JSON.readTree(listing()).get("installs")) {
            if (install.get("id").asText().equals(id)) {
                return install.get("status").asText();
            }
        }
        return "gone";
    }

    public String waitForStatus(String id, String status) throws Exception {
        return waitFor(() -> status(id).equals(status), "install " + id + " to be " + status);
    }

    /** Signed in: past pending_auth (the MCP runtime may already be starting the server). */
    public String waitForSignedIn(String id) throws Exception {
        return waitFor(() -> !List.of("pending_auth", "needs_relogin", "failed").contains(status(id)),
                "install " + id + " to be signed in");
    }

    public String waitForReason(String id, String reason) throws Exception {
        return waitFor(() -> listing().contains(reason), "install " + id + " to say " + reason);
    }

    /** {@code calls} listings in a row, each answered 200 with the installs. */
    public void answersCalls(int calls) throws Exception {
        for (int i = 0; i < calls; i++) {
            HttpResponse<String> response = HTTP.send(request("/api/installs").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("call " + (i + 1) + " of " + calls + ": " + response.body()).isEqualTo(200);
            assertThat(response.body()).startsWith("{\"installs\":");
        }
    }

    public interface Check {
        boolean holds() throws Exception;
    }

    public String waitFor(Check check, String what) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited 30 s for " + what + "; the installs are " + listing());
            }
            Thread.sleep(100);
        }
        return listing();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path))
                .header("Authorization", "Bearer " + backend.secret());
    }
}
