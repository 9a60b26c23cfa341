package dev.latchkey.desktop;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.store.InstanceFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** {@code latchkey url}: a fresh launch URL from the running app, for a browser of the user's choice. */
final class UrlCommand {

    private UrlCommand() {
    }

    /**
     * Asks the app running on the data directory (found through its {@code instance.json}) for a
     * fresh launch URL, since each one signs in only once.
     */
    static int run(Path dataDir) {
        InstanceFile instance = InstanceFile.read(dataDir).orElse(null);
        if (instance == null || !instance.alive()) {
            System.err.println("latchkey url: no Latchkey is running on data directory " + dataDir
                    + (instance == null ? " (no " + InstanceFile.NAME + ")" : " (" + InstanceFile.NAME
                    + " names pid " + instance.pid() + ", which has exited)") + "; start it with ./latchkey");
            return 1;
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + instance.port() + "/api/launch-url"))
                    .header("Authorization", "Bearer " + instance.apiToken())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.err.println("latchkey url: the app on port " + instance.port() + " answered HTTP "
                        + response.statusCode() + ": " + response.body());
                return 1;
            }
            System.out.println(new ObjectMapper().readTree(response.body()).get("url").asText());
            return 0;
        } catch (IOException e) {
            System.err.println("latchkey url: cannot reach the app on 127.0.0.1:" + instance.port() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

}
