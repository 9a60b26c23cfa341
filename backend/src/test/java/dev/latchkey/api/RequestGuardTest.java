package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What reaches the API at all: the secret, the Host and Origin checks, body limits, headers, the loopback-only socket. */
class RequestGuardTest extends SecuredApiFixture {

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
