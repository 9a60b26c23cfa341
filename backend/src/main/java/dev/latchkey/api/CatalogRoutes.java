package dev.latchkey.api;

import dev.latchkey.catalog.Catalog;
import dev.latchkey.provider.ProviderRegistry;
import io.javalin.config.RoutesConfig;
import java.util.Map;

/** The read-only catalog and provider listings. */
final class CatalogRoutes {

    private CatalogRoutes() {
    }

    static void register(RoutesConfig routes, Catalog catalog, ProviderRegistry providers) {
        routes.get("/api/catalog", ctx -> ctx.json(Map.of("servers", catalog.servers(), "problems", catalog.problems())));
        routes.get("/api/providers", ctx -> ctx.json(Map.of("providers", providers.all(), "problems", providers.problems())));
    }
}
