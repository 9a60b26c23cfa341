package dev.latchkey.oauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who signed in, as a person recognises it, from the proxy's {@code extras}: the workspace (Slack
 * team, Notion workspace) and the person (e-mail, else name, else user id). Only these named
 * fields are read: extras may also hold values that are secrets (Slack's bot token).
 */
final class AccountLabel {

    private AccountLabel() {
    }

    /** E.g. {@code "Acme · alice@example.com"}; null when the provider said nothing usable. */
    static String from(Map<String, String> extras) {
        List<String> parts = new ArrayList<>();
        first(extras, "team_name", "workspace_name").ifPresent(parts::add);
        first(extras, "email", "name", "user_id").ifPresent(parts::add);
        String label = String.join(" · ", parts);
        return label.isEmpty() ? null : label.length() > 300 ? label.substring(0, 300) : label;
    }

    private static java.util.Optional<String> first(Map<String, String> extras, String... names) {
        for (String name : names) {
            String value = extras.get(name);
            if (value != null && !value.isBlank()) {
                return java.util.Optional.of(value.strip());
            }
        }
        return java.util.Optional.empty();
    }
}
