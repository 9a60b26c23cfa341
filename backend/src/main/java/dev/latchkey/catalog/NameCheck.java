package dev.latchkey.catalog;

import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks that every provider name the catalog uses exists, and is of the right kind (docs/architecture.md,
 * "Names": a mismatch fails loudly and early, never as a silent broken button). Run at start-up
 * and by {@code latchkey doctor}.
 */
public final class NameCheck {

    private NameCheck() {
    }

    /** One sentence per mismatch, in catalog order; empty when all names agree. */
    public static List<String> mismatches(Catalog catalog, ProviderRegistry providers) {
        List<String> found = new ArrayList<>();
        for (CatalogServer server : catalog.servers()) {
            server.oauthProvider().ifPresent(name -> checkOAuth(server, name, providers, found));
            if (server.offersBrowserLogin()) {
                checkBrowser(server, providers, found);
            }
        }
        return List.copyOf(found);
    }

    private static void checkOAuth(CatalogServer server, String name, ProviderRegistry providers, List<String> found) {
        Optional<ProviderDefinition> provider = providers.find(name);
        if (provider.isEmpty()) {
            found.add(server.name() + ": archestra_config.oauth.provider is \"" + name
                    + "\", but no provider of that name exists" + known(providers, "oauth"));
        } else if (!provider.get().kind().equals("oauth")) {
            found.add(server.name() + ": archestra_config.oauth.provider is \"" + name
                    + "\", which is a browser-login provider; name it in browser_based.provider instead");
        }
    }

    private static void checkBrowser(CatalogServer server, ProviderRegistry providers, List<String> found) {
        Optional<String> name = server.browserProvider();
        if (name.isEmpty()) {
            found.add(server.name() + ": browser_based.required is true, but there is no browser provider: "
                    + "set browser_based.provider, or an oauth provider to derive \"<provider>-browser\" from");
            return;
        }
        Optional<ProviderDefinition> provider = providers.find(name.get());
        if (provider.isEmpty()) {
            found.add(server.name() + ": browser login needs the provider \"" + name.get()
                    + "\", which does not exist" + known(providers, "browser"));
        } else if (!provider.get().kind().equals("browser")) {
            found.add(server.name() + ": browser login needs \"" + name.get()
                    + "\" to be a browser-login provider, but it is an OAuth provider");
        }
    }

    private static String known(ProviderRegistry providers, String kind) {
        List<String> names = providers.all().stream()
                .filter(p -> p.kind().equals(kind))
                .map(p -> p.name().value())
                .toList();
        return names.isEmpty() ? "" : " (known " + kind + " providers: " + String.join(", ", names) + ")";
    }
}
