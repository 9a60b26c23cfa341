package dev.latchkey.login;

import dev.latchkey.provider.BrowserAuthSettings;
import java.util.Objects;

/**
 * One sign-in to run.
 *
 * @param title    what the window calls the service, e.g. {@code Slack (browser login)}
 * @param settings the provider's {@code browserAuth}: login page, allowed hosts, readiness, values to read, timeout
 * @param session  whose browser data the window uses for this sign-in only (nothing of it is kept afterwards)
 */
public record LoginRequest(String title, BrowserAuthSettings settings, SessionKey session) {

    public LoginRequest {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(session, "session");
    }
}
