package dev.latchkey.install;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The credentials of one install's connection, open: what a provider gave (OAuth tokens) or what
 * a browser login extracted (session token, cookies). Lives only in memory; stored sealed.
 *
 * @param provider     the provider definition's name, e.g. {@code slack} or {@code slack-browser}
 * @param values       value name → value: {@code accessToken}, {@code refreshToken} for OAuth, the
 *                     provider's {@code extract} names for browser login
 * @param expiresAt    when the access token or session ends; null when it does not
 * @param accountLabel who is signed in, as the user knows it (a workspace, an e-mail); may be null
 */
public record Credentials(String provider, AuthMethod method, Map<String, String> values, Instant expiresAt,
        String accountLabel) {

    public Credentials {
        Objects.requireNonNull(provider, "provider");
        if (method == AuthMethod.NONE || method == null) {
            throw new IllegalArgumentException("credentials come from oauth or browser login, not " + method);
        }
        values = Map.copyOf(values);
    }

    /** Never the values: a record's default text would put tokens into logs and exception messages. */
    @Override
    public String toString() {
        return "Credentials[" + provider + ", " + method.wireName() + ", values " + values.keySet().stream().sorted().toList()
                + ", expiresAt " + expiresAt + "]";
    }
}
