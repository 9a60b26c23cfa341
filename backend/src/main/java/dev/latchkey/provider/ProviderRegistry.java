package dev.latchkey.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.definition.Definitions;
import dev.latchkey.definition.LoadProblem;
import dev.latchkey.definition.SourceFile;
import dev.latchkey.definition.SourceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every provider Latchkey knows: the built-in definitions (classpath folder {@code providers/}),
 * then the user's own ({@code <userDir>/*.json}). Loading never stops at a broken file: it becomes
 * a {@link LoadProblem} and the others load.
 *
 * <p>Rules (docs/providers.md): the file name is {@code <name>.json}; a user file may replace a
 * built-in of the same name on purpose (its {@code source} then says {@code user}); two files of
 * one origin with one name is a problem naming both, and the first one stays. An OAuth provider's
 * public {@code clientId} is replaced by the environment variable {@code LATCHKEY_<NAME>_CLIENT_ID}
 * (upper case, {@code -} → {@code _}) when that is set.
 */
public final class ProviderRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ProviderDefinition> byName;
    private final List<ProviderDefinition> all;
    private final List<LoadProblem> problems;

    private ProviderRegistry(Map<String, ProviderDefinition> byName, List<LoadProblem> problems) {
        this.byName = Map.copyOf(byName);
        this.all = byName.values().stream().sorted(Comparator.comparing(p -> p.name().value())).toList();
        this.problems = List.copyOf(problems);
    }

    /** The built-ins plus the user's folder (skipped when it does not exist), with the process environment. */
    public static ProviderRegistry load(Path userDir) {
        List<SourceFile> files = new ArrayList<>(
                SourceFiles.classpath(ProviderRegistry.class.getClassLoader(), "providers"));
        SourceFiles.Listing user = SourceFiles.userFolder(userDir, "providers");
        files.addAll(user.files());
        return from(files, user.problems(), System.getenv());
    }

    /**
     * A registry from explicit files, in order (built-ins before user files), e.g. for tests.
     *
     * @param earlierProblems problems found while listing the files, kept in front
     * @param environment     where {@code LATCHKEY_<NAME>_CLIENT_ID} overrides are looked up
     */
    public static ProviderRegistry from(List<SourceFile> files, List<LoadProblem> earlierProblems,
            Map<String, String> environment) {
        Definitions.Loaded<ProviderDefinition> loaded = Definitions.load(files, earlierProblems,
                file -> ProviderParser.parse(JSON.readTree(file.content()), file.origin()), p -> p.name().value());
        Map<String, ProviderDefinition> byName = new HashMap<>(loaded.byName());
        byName.replaceAll((name, definition) -> withEnvironment(definition, environment));
        return new ProviderRegistry(byName, loaded.problems());
    }

    public Optional<ProviderDefinition> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** Every loaded provider, sorted by name. */
    public List<ProviderDefinition> all() {
        return all;
    }

    /** The files that could not be loaded, in load order. */
    public List<LoadProblem> problems() {
        return problems;
    }

    /** The environment variable that overrides a provider's public client id. */
    public static String clientIdVariable(ProviderName name) {
        return "LATCHKEY_" + name.value().toUpperCase(Locale.ROOT).replace('-', '_') + "_CLIENT_ID";
    }

    private static ProviderDefinition withEnvironment(ProviderDefinition definition, Map<String, String> env) {
        String override = env.get(clientIdVariable(definition.name()));
        if (definition.oauth() == null || override == null || override.isBlank()) {
            return definition;
        }
        return definition.withClientId(override.trim());
    }
}
