package dev.latchkey.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.definition.Definitions;
import dev.latchkey.definition.LoadProblem;
import dev.latchkey.definition.SourceFile;
import dev.latchkey.definition.SourceFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The MCP catalog: the built-in manifests (classpath folder {@code catalog/}), then the user's own
 * ({@code <userDir>/*.json}). A manifest Latchkey cannot run is still listed, with the reason; a
 * file that cannot be read as a manifest at all becomes a {@link LoadProblem}; neither blocks the
 * rest (docs/catalog.md).
 *
 * <p>The file name is {@code <name>.json}. A user manifest replaces a built-in of the same name;
 * two files of one origin with one name is a problem naming both, and the first one stays.
 */
public final class Catalog {

    // One mapper for every manifest: building one per file would dominate a 1,000-file load.
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<CatalogServer> BY_DISPLAY_NAME = Comparator
            .comparing((CatalogServer s) -> s.displayName().toLowerCase(Locale.ROOT))
            .thenComparing(CatalogServer::name);

    private static final Set<String> USED_FIELDS = Set.of("name", "display_name", "description", "server",
            "user_config", "archestra_config");

    private final Map<String, CatalogServer> byName;
    private final List<CatalogServer> servers;
    private final List<LoadProblem> problems;

    private Catalog(Map<String, CatalogServer> byName, List<LoadProblem> problems) {
        this.byName = Map.copyOf(byName);
        this.servers = byName.values().stream().sorted(BY_DISPLAY_NAME).toList();
        this.problems = List.copyOf(problems);
    }

    /** The built-in catalog plus the user's folder (skipped when it does not exist). */
    public static Catalog load(Path userDir) {
        List<SourceFile> files = new ArrayList<>(SourceFiles.classpath(Catalog.class.getClassLoader(), "catalog"));
        SourceFiles.Listing user = SourceFiles.userFolder(userDir, "catalog");
        files.addAll(user.files());
        return from(files, user.problems());
    }

    /** A catalog from explicit files, in order (built-ins before user files), e.g. for tests. */
    public static Catalog from(List<SourceFile> files, List<LoadProblem> earlierProblems) {
        Definitions.Loaded<CatalogServer> loaded = Definitions.load(files, earlierProblems,
                file -> ManifestParser.parse(usedFields(file.content()), file.origin()), CatalogServer::name);
        return new Catalog(loaded.byName(), loaded.problems());
    }

    /**
     * The top-level fields Latchkey uses, as a tree. Real manifests carry readmes, tool lists and
     * GitHub data many times larger than these; streaming past them keeps a large catalog quick.
     */
    private static JsonNode usedFields(byte[] content) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        try (JsonParser parser = JSON.createParser(content)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return JSON.getNodeFactory().arrayNode();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (USED_FIELDS.contains(field)) {
                    root.set(field, parser.readValueAsTree());
                } else {
                    parser.skipChildren();
                }
            }
        }
        return root;
    }

    /** Every listed server, runnable or not, sorted by display name. */
    public List<CatalogServer> servers() {
        return servers;
    }

    public Optional<CatalogServer> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The files that could not be read as manifests, in load order. */
    public List<LoadProblem> problems() {
        return problems;
    }
}
