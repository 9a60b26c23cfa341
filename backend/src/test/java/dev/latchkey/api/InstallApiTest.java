package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Installs through the API: created, listed, found, uninstalled, kept over a restart, told on the event stream. */
class InstallApiTest extends InstallApiFixture {

    @Test
    void installs_a_no_auth_server_lists_it_and_uninstalls_it() throws Exception {
        HttpResponse<String> created = client.post("/api/installs",
                "{\"catalogName\":\"test__notes\",\"userConfig\":{\"folder\":\"/home/me/notes\"},\"auth\":\"none\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode install = json.readTree(created.body());
        String id = install.get("id").asText();
        assertThat(created.headers().firstValue("Location")).contains("/api/installs/" + id);
        HttpResponse<String> located = client.get(created.headers().firstValue("Location").orElseThrow());
        assertThat(located.statusCode()).isEqualTo(200);
        // The same install; its status may have moved on already (the runtime starts it at once).
        JsonNode found = json.readTree(located.body());
        assertThat(found.get("id")).isEqualTo(install.get("id"));
        assertThat(found.get("userConfig")).isEqualTo(install.get("userConfig"));
        assertThat(install.get("catalogName").asText()).isEqualTo("test__notes");
        assertThat(install.get("displayName").asText()).isEqualTo("Test Notes");
        assertThat(install.get("auth").asText()).isEqualTo("none");
        assertThat(install.get("status").asText()).isEqualTo("connected");
        assertThat(install.get("statusReason").asText()).isEqualTo("Installed; its MCP server starts now.");
        assertThat(install.get("userConfig").get("folder").asText()).isEqualTo("/home/me/notes");
        assertThat(install.get("userConfig").get("limit").asInt()).isEqualTo(5);

        JsonNode listed = json.readTree(client.get("/api/installs").body()).get("installs");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(id);

        assertThat(client.delete("/api/installs/" + id).statusCode()).isEqualTo(204);
        assertThat(client.get("/api/installs").body()).isEqualTo("{\"installs\":[]}");
    }

    @Test
    void the_same_server_can_be_installed_twice_as_two_installs() throws Exception {
        String body = "{\"catalogName\":\"test__notes\",\"userConfig\":{\"folder\":\"/a\"},\"auth\":\"none\"}";
        String first = json.readTree(client.post("/api/installs", body).body()).get("id").asText();
        String second = json.readTree(client.post("/api/installs", body).body()).get("id").asText();

        assertThat(first).isNotEqualTo(second);
        assertThat(json.readTree(client.get("/api/installs").body()).get("installs")).hasSize(2);
    }

    @Test
    void an_unknown_install_id_is_not_found() throws Exception {
        HttpResponse<String> response = client.get("/api/installs/no-such-id");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"not_found\",\"message\":\"no install has the id \\\"no-such-id\\\"\"}");
    }

    @Test
    void uninstalling_an_unknown_id_is_not_found() throws Exception {
        HttpResponse<String> response = client.delete("/api/installs/no-such-id");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json.readTree(response.body()).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void a_sensitive_setting_is_masked_in_the_api_and_absent_from_the_database_file() throws Exception {
        String apiKey = "sk-live-4f9a2c7e1b";
        // A plain setting as distinctive as the key: the database file is searched for both, so a
        // file that held nothing readable could not pass for one that keeps the key sealed.
        String folder = "/srv/quokka-notes-83c1d";
        client.post("/api/installs", "{\"catalogName\":\"test__notes\",\"userConfig\":{\"folder\":\"" + folder
                + "\",\"api_key\":\"" + apiKey + "\"},\"auth\":\"none\"}");

        String listed = client.get("/api/installs").body();
        assertThat(listed).contains("\"api_key\":\"••••••\"").doesNotContain(apiKey);
        backend.close();
        backend = null;
        byte[] file = Files.readAllBytes(dataDir.resolve("latchkey.mv.db"));
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).contains(folder).doesNotContain(apiKey);
    }

    @Test
    void installs_survive_a_restart() throws Exception {
        client.post("/api/installs", "{\"catalogName\":\"test__notes\",\"userConfig\":{\"folder\":\"/kept\"},\"auth\":\"none\"}");
        backend.close();

        backend = Backend.start(AppConfig.of(dataDir));
        client = new ApiClient(backend.port(), backend.secret());

        assertThat(client.get("/api/installs").body()).contains("\"folder\":\"/kept\"");
    }

    @Test
    void a_broken_manifest_is_reported_and_does_not_hide_the_others() throws Exception {
        JsonNode catalog = json.readTree(client.get("/api/catalog").body());

        assertThat(catalog.get("servers").findValuesAsText("name")).contains("test__notes", "test__chat");
        assertThat(catalog.get("problems")).hasSize(1);
        assertThat(catalog.get("problems").get(0).get("source").asText()).contains("broken.json");
    }

    @Test
    void the_event_stream_tells_of_an_install_and_its_removal() throws Exception {
        HttpResponse<InputStream> stream = client.http().send(client.request("/api/events").header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            assertThat(nextEvent(reader, lines).name()).isEqualTo("hello");

            String id = json.readTree(client.post("/api/installs",
                    "{\"catalogName\":\"test__notes\",\"userConfig\":{\"folder\":\"/a\"},\"auth\":\"none\"}").body()).get("id").asText();
            Event installed = nextEvent(reader, lines);
            assertThat(installed.name()).isEqualTo("install");
            assertThat(json.readTree(installed.data()).get("id").asText()).isEqualTo(id);
            assertThat(json.readTree(installed.data()).get("catalogName").asText()).isEqualTo("test__notes");

            client.delete("/api/installs/" + id);
            // The runtime's status changes (starting, failed: its command is not installed) may come first.
            Event removed = nextEvent(reader, lines);
            while (removed.name().equals("install")) {
                removed = nextEvent(reader, lines);
            }
            assertThat(removed.name()).isEqualTo("install-removed");
            assertThat(removed.data()).isEqualTo("{\"id\":\"" + id + "\"}");
        } finally {
            stream.body().close();
            reader.shutdownNow();
        }
    }

    /** One server-sent event: its {@code event:} name and its {@code data:} line. */
    private record Event(String name, String data) {
    }

    /**
     * The next event, read on {@code reader} so the 10 s deadline holds even while a read blocks
     * (a stream that sends nothing more would otherwise hang the test).
     */
    private static Event nextEvent(ExecutorService reader, BufferedReader lines) throws Exception {
        Future<Event> next = reader.submit(() -> {
            String name = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    name = line.substring("event:".length()).strip();
                } else if (line.startsWith("data:") && name != null) {
                    return new Event(name, line.substring("data:".length()).strip());
                }
            }
            throw new AssertionError("the event stream ended");
        });
        try {
            return next.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            next.cancel(true);
            throw new AssertionError("no event within 10 s");
        }
    }
}
