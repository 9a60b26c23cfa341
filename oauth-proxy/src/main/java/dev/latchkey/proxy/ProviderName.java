package dev.latchkey.proxy;

import java.util.regex.Pattern;

/**
 * The name of a provider, the one key shared by proxy, desktop and catalog (e.g. {@code ms-teams}).
 * Its environment prefix is the name upper-cased with {@code -} turned into {@code _}.
 */
public record ProviderName(String value) implements Comparable<ProviderName> {

    /** Every token request names its provider, so the pattern is compiled once, not per request. */
    private static final Pattern FORM = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    public ProviderName {
        if (value == null || !FORM.matcher(value).matches()) {
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
