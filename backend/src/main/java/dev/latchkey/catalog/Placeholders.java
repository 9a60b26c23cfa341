package dev.latchkey.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${…}} placeholders of MCPB manifests: {@code ${user_config.key}}, and the built-ins
 * {@code ${HOME}}, {@code ${__dirname}} (the server's own directory), {@code ${DESKTOP}},
 * {@code ${DOCUMENTS}}, {@code ${DOWNLOADS}}, {@code ${pathSeparator}} and {@code ${/}}.
 */
final class Placeholders {

    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    static final String USER_CONFIG = "user_config.";
    static final Set<String> BUILT_INS = Set.of("HOME", "__dirname", "DESKTOP", "DOCUMENTS", "DOWNLOADS",
            "pathSeparator", "/");

    private Placeholders() {
    }

    /** The names inside every {@code ${…}} of {@code text}, in order, e.g. {@code user_config.token}. */
    static List<String> in(String text) {
        List<String> names = new ArrayList<>();
        if (text == null) {
            return names;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The user_config key when {@code text} is exactly one {@code ${user_config.key}} and nothing else. */
    static String wholeUserConfig(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        if (m.matches() && m.group(1).startsWith(USER_CONFIG)) {
            return m.group(1).substring(USER_CONFIG.length());
        }
        return null;
    }
}
