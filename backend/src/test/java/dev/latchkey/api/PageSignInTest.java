package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.store.InstanceFile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's way in: a one-time launch link traded for a session cookie, what that cookie may do,
 * fresh links for programs with the secret, and the instance file that names them.
 */
class PageSignInTest extends SecuredApiFixture {

    @Test
    void the_launch_link_trades_its_code_for_a_session_cookie_named_with_the_port() {
        HttpResponse<String> response = openLaunchUrl(backend.newLaunchUrl());

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).contains("/");
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).matches("latchkey_session_" + backend.port() + "=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict");
        assertThat(cookie).doesNotContain(backend.secret());
    }

    @Test
    void the_session_cookie_opens_the_api() {
        String session = signIn(backend);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + backend.port() + "/api/installs")).header("Cookie", session));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void the_api_secret_is_not_a_session_cookie() {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + backend.port() + "/api/installs"))
                .header("Cookie", "latchkey_session_" + backend.port() + "=" + backend.secret()));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void a_used_launch_code_is_refused() {
        String url = backend.newLaunchUrl();
        assertThat(openLaunchUrl(url).statusCode()).isEqualTo(303);

        HttpResponse<String> again = openLaunchUrl(url);

        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(again.body()).isEqualTo("{\"error\":\"unauthorized\",\"message\":\"this launch link was used already "
                + "or has expired: run ./latchkey url for a fresh one\"}");
    }

    @Test
    void a_made_up_launch_code_is_refused() {
        HttpResponse<String> response = openLaunchUrl("http://127.0.0.1:" + backend.port() + "/?code=guess");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void a_second_instance_on_another_data_dir_leaves_the_first_page_signed_in(@TempDir Path otherDataDir) {
        // A browser keeps 127.0.0.1 cookies per name whatever the port, and sends them all to every port.
        Map<String, String> browserJar = new LinkedHashMap<>();
        keep(browserJar, signIn(backend));
        try (Backend second = Backend.start(AppConfig.of(otherDataDir))) {
            keep(browserJar, signIn(second));
            String cookies = browserJar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; "));

            for (Backend instance : List.of(backend, second)) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + instance.port() + "/api/installs")).header("Cookie", cookies));
                assertThat(response.statusCode()).as("instance on port " + instance.port()).isEqualTo(200);
            }
            assertThat(browserJar).hasSize(2);
        }
    }

    @Test
    void a_cookie_post_without_origin_or_fetch_site_is_refused() {
        String session = signIn(backend);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + backend.port() + "/api/installs")).header("Cookie", session)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"error\":\"forbidden_origin\",\"message\":\"requests that change state "
                + "with the page's cookie must carry Origin or Sec-Fetch-Site: same-origin\"}");
    }

    @Test
    void a_cookie_delete_without_origin_or_fetch_site_is_refused() {
        String session = signIn(backend);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + backend.port() + "/api/installs/some-id")).header("Cookie", session)
                .DELETE());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"error\":\"forbidden_origin\"");
    }

    @Test
    void a_cookie_state_change_from_the_page_itself_passes_the_guard() {
        String session = signIn(backend);

        HttpResponse<String> bySite = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + backend.port() + "/api/installs/some-id")).header("Cookie", session)
                .header("Sec-Fetch-Site", "same-origin").DELETE());
        HttpResponse<String> byOrigin = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + backend.port() + "/api/installs/some-id")).header("Cookie", session)
                .header("Origin", "http://127.0.0.1:" + backend.port()).DELETE());

        assertThat(bySite.body()).isEqualTo("{\"error\":\"not_found\",\"message\":\"no install has the id \\\"some-id\\\"\"}");
        assertThat(byOrigin.body()).isEqualTo(bySite.body());
    }

    @Test
    void a_program_with_the_secret_gets_a_fresh_launch_url() throws Exception {
        HttpResponse<String> response = client.post("/api/launch-url", "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        String url = new ObjectMapper().readTree(response.body()).get("url").asText();
        assertThat(url).matches("http://127\\.0\\.0\\.1:" + backend.port() + "/\\?code=[A-Za-z0-9_-]{43}");
        assertThat(openLaunchUrl(url).statusCode()).isEqualTo(303);
    }

    @Test
    void the_instance_file_names_this_process_and_port_for_its_owner_only_and_goes_at_exit(@TempDir Path otherDataDir)
            throws Exception {
        Path file = otherDataDir.resolve("instance.json");
        try (Backend running = Backend.start(AppConfig.of(otherDataDir))) {
            assertThat(InstanceFile.read(otherDataDir)).contains(
                    new InstanceFile(ProcessHandle.current().pid(), running.port(), running.secret()));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(file).doesNotExist();
    }

    /** Opens a launch URL the way a browser's first request does (the redirect is not followed). */
    private HttpResponse<String> openLaunchUrl(String url) {
        return client.send(HttpRequest.newBuilder(URI.create(url)));
    }

    /** Trades a fresh launch code of {@code instance} for its session: the {@code name=value} of the cookie. */
    private String signIn(Backend instance) {
        String setCookie = openLaunchUrl(instance.newLaunchUrl()).headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static void keep(Map<String, String> jar, String cookie) {
        int eq = cookie.indexOf('=');
        jar.put(cookie.substring(0, eq), cookie.substring(eq + 1));
    }
}
