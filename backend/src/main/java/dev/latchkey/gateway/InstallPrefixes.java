package dev.latchkey.gateway;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The short, unique prefix of each install in the gateway's tool names ({@code <prefix>__<tool>}):
 * its name as a slug ({@code everything}); a later install whose slug
 * is taken adds the start of its id ({@code everything-7f3c}). Older installs keep their prefix,
 * so a client's tool names do not change when a second copy of a server is installed.
 */
final class InstallPrefixes {

    /** Between the prefix and the server's own name. */
    static final String SEPARATOR = "__";

    private static final int MAX_SLUG = 24;

    private InstallPrefixes() {
    }

    /** One install: its id and the name its prefix is made from. */
    record Named(String id, String name) {
    }

    /** Prefixes of {@code installs}, given oldest first. */
    static Map<String, String> assign(List<Named> installs) {
        Map<String, String> prefixes = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (Named install : installs) {
            String slug = slug(install.name());
            String prefix = slug;
            String id = install.id().replace("-", "");
            for (int length = 4; taken.contains(prefix); length += 2) {
                prefix = slug + "-" + id.substring(0, Math.min(length, id.length()));
                if (length >= id.length()) {
                    prefix = slug + "-" + id + "-" + taken.size();
                }
            }
            taken.add(prefix);
            prefixes.put(install.id(), prefix);
        }
        return prefixes;
    }

    static String slug(String name) {
        String slug = (name == null ? "" : name).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_SLUG) {
            slug = slug.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "server" : slug;
    }
}
