package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.gateway.GatewayHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/clients} and the checks in front of {@code /mcp}, over plain HTTP. */
class ClientApiTest {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private GatewayHarness harness;
    private ApiClient api;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(dataDir);
        api = new ApiClient(harness.server.port(), harness.secret);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private String newClientToken(String name) throws Exception {
        HttpResponse<String> created = api.post("/api/clients", "{\"name\":\"" + name + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return json.readTree(created.body()).get("token").asText();
    }

    private HttpResponse<String> initialize(String authorization, String origin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(harness.mcpUrl()))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return api.send(request);
    }

    @Test
    void a_new_client_gets_its_token_once_and_the_store_keeps_only_its_hash() throws Exception {
        HttpResponse<String> created = api.post("/api/clients", "{\"name\":\"Cursor on my laptop\"}");
        JsonNode body = json.readTree(created.body());
        String token = body.get("token").asText();
        String id = body.get("client").get("id").asText();

        HttpResponse<String> listed = api.get("/api/clients");

        assertThat(created.headers().firstValue("Location")).contains("/api/clients/" + id);
        assertThat(token).startsWith("lkc_").hasSizeGreaterThan(40);
        assertThat(listed.body()).contains("Cursor on my laptop").doesNotContain(token);
        assertThat(json.readTree(listed.body()).get("clients").get(0).get("callCount").asLong()).isZero();
        List<String> stored = harness.database.inTransaction(connection -> {
            List<String> values = new ArrayList<>();
            try (ResultSet row = connection.createStatement().executeQuery("SELECT * FROM mcp_clients")) {
                while (row.next()) {
                    for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                        values.add(row.getString(column));
                    }
                }
            }
            return values;
        });
        assertThat(stored).doesNotContain(token).noneMatch(value -> value != null && value.contains(token.substring(4)));
    }

    @Test
    void a_client_with_its_token_is_answered() throws Exception {
        HttpResponse<String> answer = initialize("Bearer " + newClientToken("ok"), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(answer.body()).contains("\"name\":\"latchkey\"");
    }

    @Test
    void a_missing_token_is_refused() {
        HttpResponse<String> answer = initialize(null, null);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("\"error\":\"unauthorized\"");
        assertThat(answer.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"latchkey\"");
    }

    @Test
    void a_wrong_token_is_refused() {
        assertThat(initialize("Bearer lkc_not-a-real-token", null).statusCode()).isEqualTo(401);
    }

    @Test
    void the_api_secret_is_not_a_client_token() {
        assertThat(initialize("Bearer " + harness.secret, null).statusCode()).isEqualTo(401);
    }

    @Test
    void a_client_token_does_not_open_the_api() throws Exception {
        String token = newClientToken("no api");

        HttpResponse<String> answer = api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.server.port()
                + "/api/installs")).header("Authorization", "Bearer " + token));

        assertThat(answer.statusCode()).isEqualTo(401);
    }

    @Test
    void a_revoked_client_is_refused() throws Exception {
        HttpResponse<String> created = api.post("/api/clients", "{\"name\":\"soon gone\"}");
        String token = json.readTree(created.body()).get("token").asText();
        String id = json.readTree(created.body()).get("client").get("id").asText();
        assertThat(initialize("Bearer " + token, null).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = api.delete("/api/clients/" + id);

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(json.readTree(revoked.body()).get("revokedAt").isNull()).isFalse();
        assertThat(initialize("Bearer " + token, null).statusCode()).isEqualTo(401);
    }

    @Test
    void a_renewed_token_replaces_the_former_one_at_once() {
        String former = harness.clients.renewToken("stdio-bridge", "bridge");
        assertThat(initialize("Bearer " + former, null).statusCode()).isEqualTo(200);

        String renewed = harness.clients.renewToken("stdio-bridge", "bridge");

        assertThat(initialize("Bearer " + former, null).statusCode()).isEqualTo(401);
        assertThat(initialize("Bearer " + renewed, null).statusCode()).isEqualTo(200);
    }

    @Test
    void a_foreign_origin_is_refused_even_with_a_good_token() throws Exception {
        HttpResponse<String> answer = initialize("Bearer " + newClientToken("web"), "http://evil.example");

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("\"error\":\"forbidden_origin\"");
    }

    @Test
    void a_cross_site_fetch_is_refused_with_the_answer_the_api_gives() throws Exception {
        HttpResponse<String> answer = api.send(HttpRequest.newBuilder(URI.create(harness.mcpUrl()))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + newClientToken("cross-site")).header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).isEqualTo("{\"error\":\"forbidden_origin\",\"message\":\"requests that change state must come from this app's own page\"}");
    }

    @Test
    void a_dns_rebinding_host_is_refused_even_with_a_good_token() throws Exception {
        String token = newClientToken("rebind");
        String response = api.raw("POST /mcp HTTP/1.1\nHost: rebind.example:" + harness.server.port()
                + "\nAuthorization: Bearer " + token + "\nContent-Type: application/json\nAccept: application/json, text/event-stream"
                + "\nContent-Length: " + INITIALIZE.length() + "\nConnection: close\n\n" + INITIALIZE);

        assertThat(response).startsWith("HTTP/1.1 403").contains("\"error\":\"forbidden_host\"");
    }

    @Test
    void a_client_cannot_be_limited_to_an_install_that_does_not_exist() throws Exception {
        String id = json.readTree(api.post("/api/clients", "{\"name\":\"limited\"}").body()).get("client").get("id").asText();

        HttpResponse<String> answer = api.send(api.request("/api/clients/" + id + "/installs")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"installs\":[\"nope\"]}")));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json.readTree(answer.body()).get("field").asText()).isEqualTo("installs");
    }

    @Test
    void a_client_needs_a_name() {
        HttpResponse<String> answer = api.post("/api/clients", "{\"name\":\"  \"}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("\"field\":\"name\"");
    }
}
