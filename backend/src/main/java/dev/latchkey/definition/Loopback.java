package dev.latchkey.definition;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which hosts are this machine's loopback, the one place plain http may carry tokens (RFC 8252
 * §8.3): {@code localhost} and literal loopback addresses ({@code 127.0.0.0/8}, {@code [::1]}).
 * A name other than {@code localhost} never counts: it is not resolved here, so it cannot be made
 * to point elsewhere later.
 */
public final class Loopback {

    private Loopback() {
    }

    /** Whether {@code host} (as {@link java.net.URI#getHost()} gives it, IPv6 in brackets) is the loopback. */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
