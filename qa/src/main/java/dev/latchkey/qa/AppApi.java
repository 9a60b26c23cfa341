package dev.latchkey.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The app's local HTTP API as a program calls it: JSON in and out, the API secret in
 * {@code Authorization: Bearer} (docs/api.md). For setting a test up and reading what the page
 * cannot show; the flows themselves go through the page.
 */
public final class AppApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String token;

    AppApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** What one call answered. */
    public record Answer(int status, JsonNode body) {
    }

    /** {@code GET path}. */
    public Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    /** {@code method path} with {@code json} as the body (none when null). */
    public Answer send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        // The API refuses a POST, PUT or PATCH without this type, body or not (docs/api.md).
        if (json != null || !method.equals("GET") && !method.equals("DELETE")) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Answer(response.statusCode(), body.isBlank() ? JSON.nullNode() : JSON.readTree(body));
    }

    /** The install {@code id} as {@code GET /api/installs/{id}} answers it. */
    public JsonNode install(String id) throws IOException, InterruptedException {
        Answer answer = get("/api/installs/" + id);
        if (answer.status() != 200) {
            throw new IllegalStateException("GET /api/installs/" + id + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }
}
