package dev.latchkey.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.gateway.ClientApp;
import dev.latchkey.gateway.BridgeCommand;
import dev.latchkey.store.InstanceFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code latchkey mcp} and {@code latchkey connect}: both talk to the app running on the data
 * directory (found through its files there), never to the database, which that app holds.
 */
final class ClientCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientCommands() {
    }

    /** The stdio bridge ({@link BridgeCommand}); stdout belongs to MCP, so every word for the user goes to stderr. */
    static int mcp(Path dataDir) {
        String token = Optional.ofNullable(System.getenv("LATCHKEY_CLIENT_TOKEN")).filter(t -> !t.isBlank())
                .orElse(null);
        return BridgeCommand.run(dataDir, token, System.in, System.out, System.err);
    }

    /** {@code connect CLIENT [--undo] [--yes]}: show, confirm, write (or take out). */
    static int connect(Path dataDir, List<String> arguments) {
        List<String> names = arguments.stream().filter(argument -> !argument.startsWith("--")).toList();
        Optional<ClientApp> app = names.size() == 1 ? ClientApp.byId(names.get(0)) : Optional.empty();
        if (app.isEmpty()) {
            System.err.println("latchkey connect: name one client: "
                    + String.join(", ", Arrays.stream(ClientApp.values()).map(ClientApp::id).toList()));
            return 2;
        }
        InstanceFile instance = InstanceFile.read(dataDir).filter(InstanceFile::alive).orElse(null);
        if (instance == null) {
            System.err.println("latchkey connect: Latchkey is not running on data directory " + dataDir
                    + "; start it with ./latchkey first (it makes the client's token)");
            return 1;
        }
        try {
            return connect(new Api(instance), app.get(), arguments);
        } catch (RuntimeException e) {
            System.err.println("latchkey connect: " + e.getMessage());
            return 1;
        }
    }

    private static int connect(Api api, ClientApp app, List<String> arguments) {
        String path = "/api/client-apps/" + app.id();
        if (arguments.contains("--undo")) {
            JsonNode plan = api.send("DELETE", path);
            System.out.println("Took Latchkey out of " + plan.get("path").asText() + " and revoked its client token.");
            return 0;
        }
        JsonNode plan = preview(api, app);
        System.out.println((plan.get("fileExists").asBoolean() ? "Latchkey will add this entry to " : "Latchkey will create ")
                + plan.get("path").asText() + " (as " + plan.get("key").asText() + "), keeping everything else in it:");
        System.out.println(plan.get("entry").asText());
        if (!arguments.contains("--yes") && !confirmed()) {
            System.out.println("Nothing written.");
            return 0;
        }
        JsonNode written = api.send("POST", path);
        System.out.println("Connected " + written.get("displayName").asText() + ": wrote " + written.get("path").asText()
                + " (the file as it was is kept as " + written.get("path").asText() + ".latchkey.bak)."
                + " Restart " + written.get("displayName").asText() + " to use it; ./latchkey connect "
                + app.id() + " --undo takes it out.");
        return 0;
    }

    private static JsonNode preview(Api api, ClientApp app) {
        for (JsonNode plan : api.send("GET", "/api/client-apps").get("apps")) {
            if (plan.get("client").asText().equals(app.id())) {
                return plan;
            }
        }
        throw new IllegalStateException("the app did not list " + app.id());
    }

    private static boolean confirmed() {
        System.out.print("Write it? [y/N] ");
        System.out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
        } catch (IOException e) {
            return false;
        }
    }

    /** The running app's API, with its token from {@code instance.json}. */
    private record Api(InstanceFile instance) {

        JsonNode send(String method, String path) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
                    .header("Authorization", "Bearer " + instance.apiToken())
                    .timeout(Duration.ofSeconds(30));
            request = "POST".equals(method)
                    ? request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    : request.method(method, HttpRequest.BodyPublishers.noBody());
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(response.body());
                if (response.statusCode() >= 400) {
                    throw new IllegalStateException(body.path("message").asText(response.body()));
                }
                return body;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reach the app on 127.0.0.1:" + instance.port() + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
