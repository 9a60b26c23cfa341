package dev.latchkey.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.latchkey.definition.Origin;
import dev.latchkey.definition.SourceFile;
import java.util.List;

/** Builds one catalog server from manifest text, through the real loader. */
final class Manifests {

    private Manifests() {
    }

    static CatalogServer server(String server, String userConfig) {
        String json = "{\"name\": \"acme__test\", \"display_name\": \"Acme Test\", \"server\": " + server
                + ", \"user_config\": " + userConfig + "}";
        Catalog catalog = Catalog.from(List.of(new SourceFile(Origin.USER, "user catalog/acme__test.json",
                "acme__test.json", json.getBytes(UTF_8))), List.of());
        if (!catalog.problems().isEmpty()) {
            throw new AssertionError(catalog.problems().toString());
        }
        return catalog.find("acme__test").orElseThrow();
    }
}
