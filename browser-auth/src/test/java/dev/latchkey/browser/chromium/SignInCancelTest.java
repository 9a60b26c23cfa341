package dev.latchkey.browser.chromium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.browser.SessionFolders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel and uninstall while a Chromium login window is open, through the real API and H2 file:
 * the window closes by a flag (never an interrupt, which would close H2 under every connection),
 * the install says what happened, the session folder goes once the window has, and the app
 * answers every call after.
 */
class SignInCancelTest {

    private static final String SLACK = "korotovsky__slack-mcp-server";

    private static ServiceSites sites;

    @TempDir
    Path dataDir;
    private ChromiumLogin login;

    @BeforeAll
    static void startSites() throws Exception {
        sites = ServiceSites.start();
    }

    @AfterAll
    static void stopSites() throws Exception {
        sites.close();
    }

    @AfterEach
    void waitForClosingWindows() {
        if (login != null) {
            login.close();
        }
    }

    @Test
    void cancelling_a_sign_in_closes_the_window_says_so_and_the_app_answers_a_hundred_calls_after() throws Exception {
        try (Backend backend = start()) {
            BackendApi api = new BackendApi(backend);
            String id = install(api);
            try (LoginWindowDriver window = LoginWindowDriver.attach(profile(id), "slack.com")) {
                assertThat(chromiums(id)).hasSize(1);
                assertThat(api.send("DELETE", "/api/installs/" + id + "/sign-in", null).statusCode()).isEqualTo(204);
            }

            String listing = api.waitForStatus(id, "failed");
            assertThat(listing).contains("Sign-in did not finish: the login window was closed. Nothing was stored.");
            awaitNoChromium(id);
            api.answersCalls(100);
        }
    }

    @Test
    void uninstalling_during_a_sign_in_closes_the_window_then_forgets_its_folder_and_the_app_answers_a_hundred_calls() throws Exception {
        try (Backend backend = start()) {
            BackendApi api = new BackendApi(backend);
            String id = install(api);
            try (LoginWindowDriver window = LoginWindowDriver.attach(profile(id), "slack.com")) {
                assertThat(api.send("DELETE", "/api/installs/" + id, null).statusCode()).isEqualTo(204);
            }

            assertThat(api.status(id)).isEqualTo("gone");
            awaitNoChromium(id);
            api.waitFor(() -> !profile(id).toFile().exists(), "the session folder to be deleted");
            api.answersCalls(100);
        }
    }

    @Test
    void cancel_then_relogin_at_once_leaves_one_sign_in() throws Exception {
        try (Backend backend = start()) {
            BackendApi api = new BackendApi(backend);
            String id = install(api);
            try (LoginWindowDriver window = LoginWindowDriver.attach(profile(id), "slack.com")) {
                assertThat(api.send("DELETE", "/api/installs/" + id + "/sign-in", null).statusCode()).isEqualTo(204);
            }

            // The cancelled window is still closing: a re-login waits for it (busy) or starts once it has gone.
            HttpResponse<String> relogin = api.send("POST", "/api/installs/" + id + "/relogin", "");
            Instant deadline = Instant.now().plusSeconds(30);
            while (relogin.statusCode() == 409 && Instant.now().isBefore(deadline)) {
                assertThat(relogin.body()).contains("a login window is already open for this install");
                Thread.sleep(20);
                relogin = api.send("POST", "/api/installs/" + id + "/relogin", "");
            }
            assertThat(relogin.statusCode()).as(relogin.body()).isEqualTo(202);
            try (LoginWindowDriver window = LoginWindowDriver.attach(profile(id), "slack.com")) {
                // The first sign-in has ended for good: it neither overwrites the second's status nor frees its place.
                assertThat(chromiums(id)).hasSize(1);
                assertThat(api.status(id)).isEqualTo("pending_auth");
                assertThat(api.send("POST", "/api/installs/" + id + "/relogin", "").statusCode()).isEqualTo(409);
                api.answersCalls(100);
            }
        }
    }

    private static String install(BackendApi api) throws Exception {
        return api.post("/api/installs", "{\"catalogName\":\"" + SLACK + "\",\"auth\":\"browser\"}", 201).get("id").asText();
    }

    private Path profile(String id) {
        return SessionFolders.under(dataDir).root().resolve("slack-browser").resolve(id);
    }

    /** The browser processes (not their helpers) running on the install's profile, by their process ids. */
    private List<String> chromiums(String id) throws IOException {
        String profile = "--user-data-dir=" + profile(id);
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(dir -> dir.getFileName().toString().matches("[0-9]+")).filter(dir -> {
                try {
                    // Chromium rewrites its command line into one text with spaces between the arguments.
                    String line = Files.readString(dir.resolve("cmdline")).replace('\0', ' ') + " ";
                    return line.contains(" " + profile + " ") && !line.contains(" --type=");
                } catch (IOException e) {
                    return false; // the process has ended
                }
            }).map(dir -> dir.getFileName().toString()).toList();
        }
    }

    private void awaitNoChromium(String id) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!chromiums(id).isEmpty()) {
            assertThat(Instant.now()).as("Chromium on " + profile(id) + " to exit").isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private Backend start() {
        login = new ChromiumLogin(SessionFolders.under(dataDir), sites.switches(), true, Clock.systemUTC());
        return Backend.start(new AppConfig(dataDir, 0, URI.create("http://127.0.0.1:9")), login);
    }
}
