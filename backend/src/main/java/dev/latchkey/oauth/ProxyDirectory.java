package dev.latchkey.oauth;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * What the OAuth proxy said it serves ({@code GET /oauth/providers}): each provider's public
 * client id; or, when it could not be asked, why.
 *
 * @param problem null when the proxy answered; otherwise a sentence naming what went wrong
 */
public record ProxyDirectory(URI proxy, Map<String, String> clientIds, String problem) {

    public ProxyDirectory {
        clientIds = Map.copyOf(clientIds);
    }

    static ProxyDirectory reached(URI proxy, Map<String, String> clientIds) {
        return new ProxyDirectory(proxy, clientIds, null);
    }

    static ProxyDirectory unreachable(URI proxy, String why) {
        return new ProxyDirectory(proxy, Map.of(), "the OAuth proxy at " + proxy + " " + why);
    }

    public boolean reachable() {
        return problem == null;
    }

    public boolean serves(String provider) {
        return clientIds.containsKey(provider);
    }

    /** The proxy's public client id for {@code provider}, when it serves it with one. */
    Optional<String> clientId(String provider) {
        String id = clientIds.get(provider);
        return id == null || id.isBlank() ? Optional.empty() : Optional.of(id);
    }
}
