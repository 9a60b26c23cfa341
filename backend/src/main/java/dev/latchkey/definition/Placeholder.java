package dev.latchkey.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one {@code ${name}} placeholder syntax of definition files: catalog manifests
 * ({@code ${user_config.key}}, {@code ${HOME}}) and provider credential-file templates
 * ({@code ${accessToken}}). The name is everything up to the first {@code }}.
 */
public final class Placeholder {

    private static final Pattern PATTERN = Pattern.compile("\\$\\{([^}]*)}");

    private Placeholder() {
    }

    /** The names inside every placeholder of {@code text}, in order; none for null. */
    public static List<String> names(String text) {
        List<String> names = new ArrayList<>();
        if (text == null) {
            return names;
        }
        Matcher m = PATTERN.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** {@code text} with each placeholder replaced by {@code valueOf(name)}, taken literally. */
    public static String fill(String text, UnaryOperator<String> valueOf) {
        if (!text.contains("${")) {
            return text;
        }
        Matcher m = PATTERN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(valueOf.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The name when {@code text} is exactly one placeholder and nothing else, otherwise null. */
    public static String whole(String text) {
        Matcher m = PATTERN.matcher(text);
        return m.matches() ? m.group(1) : null;
    }

    /** How a placeholder named {@code name} is written: {@code ${name}}. */
    public static String of(String name) {
        return "${" + name + "}";
    }
}
