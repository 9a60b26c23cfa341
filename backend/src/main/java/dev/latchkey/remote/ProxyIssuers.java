package dev.latchkey.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth proxy's apps by the issuer each is registered at, from its {@code GET /oauth/providers}
 * ({@code issuers}, {@code client_ids}; docs/oauth-proxy.md). The answer is kept a minute, so a
 * sign-in's start and its callback see the same one; when the proxy cannot be asked, the last
 * answer it gave is used, and with none a sentence names the proxy, itself kept a minute too (a
 * sign-in that went on without the proxy finishes without it, and waits for it once).
 */
final class ProxyIssuers implements ProxyClients {

    static final Duration KEPT = Duration.ofMinutes(1);
    /**
     * How long the list may take: every remote sign-in asks it first, most for servers that are not
     * the proxy's, so a proxy that hangs must not hold them up for the sign-in's own 20 s.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI proxy;
    private final AuthHttp http;
    private final Clock clock;
    private JsonNode kept;
    private Instant keptAt = Instant.MIN;
    private RemoteAuthException failed;
    private Instant failedAt = Instant.MIN;

    ProxyIssuers(URI proxy, AuthHttp http, Clock clock) {
        String url = proxy.toString();
        this.proxy = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Optional<RemoteClient> forIssuer(URI issuer) {
        JsonNode directory = directory();
        for (Iterator<Map.Entry<String, JsonNode>> it = directory.path("issuers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> app = it.next();
            String clientId = directory.path("client_ids").path(app.getKey()).asText("");
            if (app.getValue().asText("").equals(issuer.toString()) && !clientId.isBlank()) {
                return Optional.of(RemoteClient.proxied(clientId, app.getKey()));
            }
        }
        return Optional.empty();
    }

    private synchronized JsonNode directory() {
        if (kept != null && keptAt.plus(KEPT).isAfter(clock.instant())) {
            return kept;
        }
        if (kept == null && failed != null && failedAt.plus(KEPT).isAfter(clock.instant())) {
            throw failed;
        }
        URI list = URI.create(proxy + "/oauth/providers");
        try {
            JsonNode answer = http.getJson(list, "OAuth proxy's provider list").orElseThrow(() -> new RemoteAuthException(
                    RemoteAuthException.Reason.UNREACHABLE, "the OAuth proxy at " + proxy + " did not list its providers"));
            kept = answer;
            keptAt = clock.instant();
            return answer;
        } catch (RemoteAuthException e) {
            if (kept != null) {
                return kept;
            }
            failed = e.reason() == RemoteAuthException.Reason.UNREACHABLE ? e
                    : new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE, e.getMessage());
            failedAt = clock.instant();
            throw failed;
        }
    }
}
