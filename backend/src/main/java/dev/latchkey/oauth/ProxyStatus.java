package dev.latchkey.oauth;

import dev.latchkey.catalog.Catalog;
import dev.latchkey.catalog.CatalogServer;
import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether OAuth can work now: the proxy answers, and which of the catalog's OAuth providers it
 * serves. What the install dialog shows, what start-up logs and {@code latchkey doctor} prints.
 *
 * @param providers provider name → {@code ready}, {@code not_configured} (the proxy does not serve
 *                  it) or {@code unknown} (the proxy could not be asked)
 */
public record ProxyStatus(String proxyUrl, boolean reachable, String problem, Map<String, String> providers) {

    /** The ways to get a proxy, for every message that says there is none. */
    public static final String HOW_TO_GET_ONE = "Start one with `./latchkey proxy` (or proxy and app together with "
            + "`./latchkey dev`), or point Latchkey at yours with --proxy-url URL";

    public ProxyStatus {
        providers = java.util.Collections.unmodifiableMap(new TreeMap<>(providers));
    }

    /** The status of every OAuth provider the catalog names, from what the proxy said. */
    public static ProxyStatus of(ProxyDirectory directory, Catalog catalog, ProviderRegistry registry) {
        Map<String, String> providers = new TreeMap<>();
        for (String name : oauthProvidersNeeded(catalog)) {
            boolean ownId = registry.find(name).map(ProviderDefinition::oauth)
                    .map(oauth -> !oauth.clientId().isBlank()).orElse(false);
            String state = !directory.reachable() ? "unknown"
                    : !directory.serves(name) ? "not_configured"
                    : ownId || directory.clientId(name).isPresent() ? "ready" : "not_configured";
            providers.put(name, state);
        }
        return new ProxyStatus(directory.proxy().toString(), directory.reachable(),
                directory.reachable() ? null : directory.problem() + ". " + HOW_TO_GET_ONE, providers);
    }

    /** Asks the proxy at {@code proxyUrl} which of the catalog's OAuth providers it serves (a few seconds at most). */
    public static ProxyStatus ask(java.net.URI proxyUrl, Catalog catalog, ProviderRegistry registry) {
        return of(new ProxyClient(proxyUrl).directory(), catalog, registry);
    }

    /**
     * What {@code latchkey doctor} says of OAuth: a line on the proxy, then {@link #problems} of
     * each catalog provider it does not serve.
     */
    public List<String> report(Catalog catalog) {
        List<String> lines = new ArrayList<>();
        if (reachable) {
            long ready = providers.values().stream().filter("ready"::equals).count();
            lines.add("OAuth proxy at " + proxyUrl + ": serves " + ready + " of the " + providers.size()
                    + " OAuth providers the catalog needs");
        } else {
            lines.add("OAuth proxy at " + proxyUrl + ": not reachable");
        }
        lines.addAll(problems(catalog));
        return lines;
    }

    /**
     * One line per thing a person must fix: the proxy unreachable, or each catalog provider it
     * does not serve (with the servers that need it).
     */
    public List<String> problems(Catalog catalog) {
        List<String> lines = new ArrayList<>();
        if (!reachable) {
            lines.add(problem);
            return lines;
        }
        providers.forEach((name, state) -> {
            if (!"ready".equals(state)) {
                List<String> servers = catalog.servers().stream()
                        .filter(server -> server.oauthProvider().filter(name::equals).isPresent())
                        .map(CatalogServer::name).sorted().toList();
                lines.add("OAuth provider \"" + name + "\" is not configured on the OAuth proxy at " + proxyUrl
                        + " (set " + envPrefix(name) + "_CLIENT_ID and _CLIENT_SECRET there); needed by "
                        + String.join(", ", servers));
            }
        });
        return lines;
    }

    static List<String> oauthProvidersNeeded(Catalog catalog) {
        return catalog.servers().stream().map(CatalogServer::oauthProvider).flatMap(java.util.Optional::stream)
                .distinct().sorted().toList();
    }

    /** The proxy's variable prefix of a provider: {@code ms-teams} → {@code MS_TEAMS}. */
    static String envPrefix(String provider) {
        return provider.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
