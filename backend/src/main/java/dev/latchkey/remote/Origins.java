package dev.latchkey.remote;

import dev.latchkey.definition.Loopback;
import java.net.URI;
import java.util.Locale;

/**
 * The URL rules of remote servers: https everywhere, plain http only on the loopback address
 * (RFC 8252 §8.3; MCP authorization, "Communication Security"), and origins compared as RFC 6454
 * does (scheme, host, port), so that a token goes to its server's origin only.
 */
public final class Origins {

    private Origins() {
    }

    /** Whether {@code uri} may be used: https, or http to a loopback host. */
    public static boolean allowed(URI uri) {
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("https") || scheme.equals("http") && loopback(uri.getHost());
    }

    /** Throws with a sentence naming {@code what} when {@code uri} is not {@link #allowed}. */
    static URI require(URI uri, String what) {
        if (!allowed(uri)) {
            throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, what + " " + uri
                    + " is not https (plain http is allowed on 127.0.0.1 and localhost only)");
        }
        return uri;
    }

    static boolean loopback(String host) {
        return Loopback.isLoopback(host);
    }

    /** Same scheme, host and port (the default port filled in). */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** {@code scheme://host[:port]} of {@code uri}, without a trailing slash. */
    static String origin(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
    }
}
