package dev.latchkey.proxy;

/**
 * The client's address for the rate limit. Behind load balancers the connecting address is the
 * balancer's, and the client's is in a header such as {@code X-Forwarded-For} that every proxy on
 * the way appends to: only the entries the trusted proxies appended can be believed, so the
 * address is the entry {@code trustedHops} from the right, never the client-controlled first one.
 */
final class ClientAddress {

    private ClientAddress() {
    }

    /**
     * @param header the header's value, or null when it is not configured or not sent
     * @param trustedHops how many proxies in front of this one append to the header (at least 1)
     * @param connecting the address the connection came from
     */
    static String of(String header, int trustedHops, String connecting) {
        if (header == null || header.isBlank()) {
            return connecting;
        }
        String[] entries = header.split(",");
        if (entries.length < trustedHops) {
            // Fewer entries than trusted proxies: the header did not come through all of them.
            return connecting;
        }
        String address = entries[entries.length - trustedHops].strip();
        return address.isEmpty() ? connecting : address;
    }
}
