package dev.latchkey.login;

import java.nio.file.Path;

/**
 * Which browser data a login window uses: one per provider and account, so a second Slack
 * workspace never sees the first one's cookies. Latchkey knows an account by the install it
 * belongs to (the account itself is only known after the sign-in).
 *
 * @param provider the provider's name, e.g. {@code slack-browser}
 * @param account  the install's id
 */
public record SessionKey(String provider, String account) {

    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]*";

    public SessionKey {
        if (provider == null || !provider.matches(NAME)) {
            throw new IllegalArgumentException("session provider: expected a provider name, got " + quote(provider));
        }
        if (account == null || !account.matches(NAME)) {
            throw new IllegalArgumentException("session account: expected an install id, got " + quote(account));
        }
    }

    /** The session's folder under the folder of all sessions: {@code <provider>/<account>}. */
    public Path under(Path sessions) {
        return sessions.resolve(provider).resolve(account);
    }

    private static String quote(String text) {
        return text == null ? "nothing" : "\"" + text + "\"";
    }
}
