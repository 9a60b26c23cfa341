package dev.latchkey.remote;

import java.net.URI;
import java.util.Map;

/**
 * Where the user approves a remote sign-in: it opens the authorization URL and answers the
 * parameters that came back to the redirect URI for that state (single use).
 */
interface Browser {

    /** The loopback redirect URI the authorization server sends the user back to (RFC 8252 §7.3). */
    URI redirectUri();

    /** Opens {@code authorizationUrl} and waits for the callback that carries {@code state}. */
    Map<String, String> authorize(URI authorizationUrl, String state);
}
