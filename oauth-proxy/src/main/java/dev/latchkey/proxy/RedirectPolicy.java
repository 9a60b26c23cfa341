package dev.latchkey.proxy;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Which {@code redirect_uri} a code exchange may name: a loopback URI of the desktop app
 * (RFC 8252 §7.3, {@code http://127.0.0.1:PORT/…} or {@code http://[::1]:PORT/…}) or this proxy's
 * own callback for the same provider. Anything else would let the proxy finish a flow that was
 * started for some other site.
 */
final class RedirectPolicy {

    private final String callbackBase;

    RedirectPolicy(String proxyBaseUrl) {
        this.callbackBase = proxyBaseUrl + "/oauth/callback/";
    }

    URI check(String value, ProviderName provider) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw refused();
        }
        if (value.equals(callbackBase + provider.value())) {
            return uri;
        }
        boolean loopbackHost = "127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost());
        if ("http".equals(uri.getScheme()) && loopbackHost && uri.getPort() > 0
                && uri.getRawUserInfo() == null && uri.getRawFragment() == null) {
            return uri;
        }
        throw refused();
    }

    private OAuthError.Failure refused() {
        return OAuthError.invalidRequest("redirect_uri must be http://127.0.0.1:PORT/…, http://[::1]:PORT/… or "
                + callbackBase + "<provider>").failure();
    }
}
