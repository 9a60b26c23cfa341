package dev.latchkey.catalog;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /** The built-ins' names, from the one place that says what each stands for. */
    static final Set<String> BUILT_INS = Set.copyOf(builtIns(Path.of(""), Path.of("")).keySet());

    private Placeholders() {
    }

    /**
     * What each built-in stands for. Without {@code serverDir} (before launch) {@code ${__dirname}}
     * is left out, so {@link #fillBuiltIns} keeps it as written.
     */
    static Map<String, String> builtIns(Path home, Path serverDir) {
        Map<String, String> values = new HashMap<>(Map.of(
                "HOME", home.toString(),
                "DESKTOP", home.resolve("Desktop").toString(),
                "DOCUMENTS", home.resolve("Documents").toString(),
                "DOWNLOADS", home.resolve("Downloads").toString(),
                "pathSeparator", File.separator,
                "/", File.separator));
        if (serverDir != null) {
            values.put("__dirname", serverDir.toString());
        }
        return Map.copyOf(values);
    }

    /** {@code text} with each built-in of {@code builtIns} filled in; every other placeholder stays as written. */
    static String fillBuiltIns(String text, Map<String, String> builtIns) {
        if (!text.contains("${")) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(builtIns.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
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
