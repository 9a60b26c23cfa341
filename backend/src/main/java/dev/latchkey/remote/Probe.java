package dev.latchkey.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks a remote server, before anything is stored, whether it wants a sign-in: one MCP
 * {@code initialize} with no token. A 401 carries the challenge discovery starts from (MCP
 * authorization, "Authorization Server Location"); any 2xx means it needs none; anything else, or
 * no answer, is a sentence.
 */
final class Probe {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"latchkey\",\"version\":\"1.0\"}}}";

    private final HttpClient http;
    private final Duration timeout;

    Probe(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    /** The server's challenge when it asks for a sign-in; empty when it answered without one. */
    Optional<Challenge> challenge(URI server, java.util.Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server).timeout(timeout);
        headers.forEach(builder::header);
        HttpRequest request = builder
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25").build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            int status = response.statusCode();
            if (status == 401) {
                return Optional.of(Challenge.parse(response.headers().allValues("WWW-Authenticate")));
            }
            // 405 and 404 are an old HTTP+SSE server's answer to a POST: the connection finds out.
            if (status >= 200 && status < 300 || status == 404 || status == 405) {
                return Optional.empty();
            }
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE,
                    "the server at " + server + " answered HTTP " + status + " to MCP initialize");
        } catch (IOException e) {
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE,
                    "the server at " + server + " could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE, "the probe of " + server + " was interrupted");
        }
    }
}
