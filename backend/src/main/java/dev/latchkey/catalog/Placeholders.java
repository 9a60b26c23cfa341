package dev.latchkey.catalog;

import dev.latchkey.definition.Placeholder;
import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ${…}} placeholders of MCPB manifests: {@code ${user_config.key}}, and the built-ins
 * {@code ${HOME}}, {@code ${__dirname}} (the server's own directory), {@code ${DESKTOP}},
 * {@code ${DOCUMENTS}}, {@code ${DOWNLOADS}}, {@code ${pathSeparator}} and {@code ${/}}, written in
 * the one {@link Placeholder} syntax.
 */
final class Placeholders {

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
        return Placeholder.fill(text, name -> builtIns.getOrDefault(name, Placeholder.of(name)));
    }

    /** The user_config key when {@code text} is exactly one {@code ${user_config.key}} and nothing else. */
    static String wholeUserConfig(String text) {
        String name = Placeholder.whole(text);
        return name != null && name.startsWith(USER_CONFIG) ? name.substring(USER_CONFIG.length()) : null;
    }
}
