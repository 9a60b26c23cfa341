package dev.latchkey;

import dev.latchkey.catalog.Catalog;
import dev.latchkey.catalog.NameCheck;
import dev.latchkey.catalog.VersionPin;
import dev.latchkey.oauth.ProxyStatus;
import dev.latchkey.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code latchkey doctor} reports for a data directory, without starting anything (start-up
 * logs the same name mismatches): problems, which fail it, and what it only names.
 */
public final class Doctor {

    private Doctor() {
    }

    /** The provider definitions and the catalog, built-in and the user's. */
    record Loaded(ProviderRegistry providers, Catalog catalog) {
        static Loaded from(AppConfig config) {
            return new Loaded(ProviderRegistry.load(config.userProvidersDir()), Catalog.load(config.userCatalogDir()));
        }
    }

    /** Every provider or manifest that failed to load, and every name the catalog and providers disagree on. */
    public static List<String> problems(AppConfig config) {
        Loaded loaded = Loaded.from(config);
        return mismatches(loaded.providers(), loaded.catalog());
    }

    /**
     * Whether the proxy of {@code config} answers and which OAuth providers the catalog needs that
     * it does not serve. Those only take the OAuth choice from their servers, so they are
     * reported, not counted as problems of the catalog.
     */
    public static List<String> oauth(AppConfig config) {
        Loaded loaded = Loaded.from(config);
        return ProxyStatus.ask(config.proxyUrl(), loaded.catalog(), loaded.providers()).report(loaded.catalog());
    }

    /** Each server of the user's catalog folder not pinned to one version: the user's choice, so named, not counted. */
    public static List<String> unpinned(AppConfig config) {
        return VersionPin.unpinned(Catalog.load(config.userCatalogDir()));
    }

    static List<String> mismatches(ProviderRegistry providers, Catalog catalog) {
        List<String> mismatches = new ArrayList<>();
        providers.problems().forEach(problem -> mismatches.add(problem.source() + ": " + problem.message()));
        catalog.problems().forEach(problem -> mismatches.add(problem.source() + ": " + problem.message()));
        mismatches.addAll(NameCheck.mismatches(catalog, providers));
        return List.copyOf(mismatches);
    }
}
