package dev.latchkey.proxy;

/**
 * The name of a provider, the one key shared by proxy, desktop and catalog (e.g. {@code ms-teams}).
 * Its environment prefix is the name upper-cased with {@code -} turned into {@code _}.
 */
public record ProviderName(String value) implements Comparable<ProviderName> {

    public ProviderName {
        if (value == null || !value.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException(
                    "a provider name is lower-case letters, digits and single dashes, got " + quoted(value));
        }
    }

    /** {@code ms-teams} → {@code MS_TEAMS}, the prefix of its {@code _CLIENT_ID} and other variables. */
    public String envPrefix() {
        return value.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    @Override
    public int compareTo(ProviderName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String quoted(String value) {
        if (value == null) {
            return "nothing";
        }
        // A name comes from a request; cut it so a hostile value cannot flood an error body.
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return "\"" + shown + "\"";
    }
}
