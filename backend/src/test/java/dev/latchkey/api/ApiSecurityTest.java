package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.store.InstanceFile;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiSecurityTest {

    @TempDir
    Path dataDir;

    private Backend backend;
    private ApiClient client;

    @BeforeEach
    void start() {
        backend = Backend.start(AppConfig.of(dataDir));
        client = new ApiClient(backend.port(), backend.secret());
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void an_api_call_without_the_secret_is_refused() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + "/api/installs")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"unauthorized\",\"message\":\"missing or wrong API secret: "
                + "run ./latchkey url and open the link it prints, or send Authorization: Bearer <apiToken of instance.json>\"}");
    }

    @Test
    void an_api_call_with_a_wrong_secret_is_refused() {
        HttpResponse<String> response = client.send(client.request("/api/installs")
                .setHeader("Authorization", "Bearer " + backend.secret() + "x"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"unauthorized\"");
    }

    @Test
    void a_request_naming_a_foreign_host_is_refused_even_for_the_page() throws Exception {
        String response = client.raw("GET / HTTP/1.1\nHost: attacker.example:" + backend.port() + "\nConnection: close\n\n");

        assertThat(response).startsWith("HTTP/1.1 403");
        assertThat(response).contains("\"error\":\"forbidden_host\"");
    }

    @Test
    void a_request_naming_a_foreign_host_is_refused_even_with_the_secret() throws Exception {
        String response = client.raw("GET /api/installs HTTP/1.1\nHost: rebind.example:" + backend.port()
                + "\nAuthorization: Bearer " + backend.secret() + "\nConnection: close\n\n");

        assertThat(response).startsWith("HTTP/1.1 403");
        assertThat(response).contains("forbidden_host");
    }

    @Test
    void a_state_change_from_a_foreign_origin_is_refused() {
        HttpResponse<String> response = client.send(client.request("/api/installs")
                .header("Origin", "https://evil.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"error\":\"forbidden_origin\",\"message\":\"requests that change state must come from this app's own page\"}");
    }

    @Test
    void a_body_that_is_not_json_is_refused() {
        HttpResponse<String> response = client.send(client.request("/api/installs")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("catalogName=x")));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("\"error\":\"unsupported_media_type\"");
    }

    @Test
    void an_oversized_body_is_refused_and_nothing_is_installed() {
        String huge = "{\"catalogName\":\"" + "a".repeat(70_000) + "\"}";

        HttpResponse<String> response = client.post("/api/installs", huge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error\":\"payload_too_large\"");
        assertThat(client.get("/api/installs").body()).isEqualTo("{\"installs\":[]}");
    }

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
    void a_cross_site_fetch_is_refused_even_with_the_secret() {
        HttpResponse<String> response = client.send(client.request("/api/installs/some-id")
                .header("Sec-Fetch-Site", "cross-site").DELETE());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"error\":\"forbidden_origin\"");
    }

    @Test
    void the_event_stream_without_the_secret_is_refused() {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + backend.port() + "/api/events")).header("Accept", "text/event-stream"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"unauthorized\"");
    }

    @Test
    void localhost_is_a_name_of_this_server() throws Exception {
        String response = client.raw("GET /api/installs HTTP/1.1\nHost: localhost:" + backend.port()
                + "\nAuthorization: Bearer " + backend.secret() + "\nConnection: close\n\n");

        assertThat(response).startsWith("HTTP/1.1 200");
    }

    @Test
    void the_ipv6_loopback_name_is_refused_because_the_server_listens_on_ipv4_only() throws Exception {
        String response = client.raw("GET /api/installs HTTP/1.1\nHost: [::1]:" + backend.port()
                + "\nAuthorization: Bearer " + backend.secret() + "\nConnection: close\n\n");

        assertThat(response).startsWith("HTTP/1.1 403");
        assertThat(response).contains("\"error\":\"forbidden_host\"");
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

    @Test
    void every_answer_carries_a_strict_content_security_policy() {
        HttpResponse<String> response = client.get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Security-Policy")).contains(
                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void an_unknown_api_path_answers_the_one_error_body() {
        HttpResponse<String> response = client.get("/api/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"not_found\",\"message\":\"nothing is at GET /api/nothing-here\"}");
    }

    @Test
    void the_server_is_not_reachable_on_a_non_loopback_address() throws Exception {
        InetAddress external = nonLoopbackAddress().orElseThrow(() -> new AssertionError(
                "this test needs a non-loopback IPv4 address on some network interface to prove the server is not bound to it"));

        assertThatThrownBy(() -> new Socket(external, backend.port()).close()).isInstanceOf(ConnectException.class);
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
