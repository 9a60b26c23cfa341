package dev.latchkey.api;

import dev.latchkey.catalog.Catalog;
import dev.latchkey.catalog.CatalogServer;
import dev.latchkey.definition.LoadProblem;
import dev.latchkey.provider.ProviderDefinition;
import dev.latchkey.provider.ProviderRegistry;
import io.javalin.config.RoutesConfig;
import java.util.List;

/** The read-only catalog and provider listings. */
final class CatalogRoutes {

    record CatalogListing(List<CatalogServer> servers, List<LoadProblem> problems) {
    }

    record ProviderListing(List<ProviderDefinition> providers, List<LoadProblem> problems) {
    }

    private CatalogRoutes() {
    }

    static void register(RoutesConfig routes, Catalog catalog, ProviderRegistry providers) {
        routes.get("/api/catalog", ctx -> ctx.json(new CatalogListing(catalog.servers(), catalog.problems())));
        routes.get("/api/providers", ctx -> ctx.json(new ProviderListing(providers.all(), providers.problems())));
    }
}
