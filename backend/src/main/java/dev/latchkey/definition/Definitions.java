package dev.latchkey.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The loading rules the provider registry and the MCP catalog share (docs/providers.md,
 * docs/catalog.md): files are parsed in order (built-ins before user files); a file that cannot be
 * parsed, or whose {@code name} is not its file name, becomes a {@link LoadProblem} and the others
 * load; a later file replaces an earlier one of the same name from the other origin, while two
 * files of one origin with one name is a problem naming both, and the first one stays.
 */
public final class Definitions {

    /** How one file becomes a definition; {@link InvalidDefinitionException} or IOException when it cannot. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(SourceFile file) throws IOException;
    }

    /**
     * @param byName   every loaded definition by name, in the order first loaded
     * @param problems the earlier problems, then the files that could not be loaded, in load order
     */
    public record Loaded<T>(Map<String, T> byName, List<LoadProblem> problems) {

        public Loaded {
            byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
            problems = List.copyOf(problems);
        }
    }

    private Definitions() {
    }

    /**
     * @param earlierProblems problems found while listing the files, kept in front
     * @param nameOf          the definition's {@code name}, which must be the file name without {@code .json}
     */
    public static <T> Loaded<T> load(List<SourceFile> files, List<LoadProblem> earlierProblems, Parser<T> parser,
            Function<T, String> nameOf) {
        Map<String, T> byName = new LinkedHashMap<>();
        Map<String, SourceFile> fileOf = new HashMap<>();
        List<LoadProblem> problems = new ArrayList<>(earlierProblems);
        for (SourceFile file : files) {
            T definition;
            String name;
            try {
                definition = parser.parse(file);
                name = nameOf.apply(definition);
                if (!name.equals(file.baseName())) {
                    throw new InvalidDefinitionException("name", "must match the file name: a file named "
                            + Quote.of(file.fileName()) + " must define " + Quote.of(file.baseName())
                            + ", got " + Quote.of(name));
                }
            } catch (InvalidDefinitionException | IOException e) {
                problems.add(new LoadProblem(file.label(), message(e)));
                continue;
            }
            SourceFile earlier = fileOf.get(name);
            if (earlier != null && earlier.origin() == file.origin()) {
                problems.add(new LoadProblem(file.label(),
                        "name \"" + name + "\" is already defined by " + earlier.label() + "; this file is ignored"));
                continue;
            }
            byName.put(name, definition);
            fileOf.put(name, file);
        }
        return new Loaded<>(byName, problems);
    }

    private static String message(Exception e) {
        if (e instanceof JsonProcessingException json) {
            return jsonMessage(json);
        }
        if (e instanceof InvalidDefinitionException) {
            return e.getMessage();
        }
        return "cannot be read: " + e.getClass().getSimpleName();
    }

    /** Jackson's message without the source excerpt: {@code line 3: Unexpected character ('}' …)}. */
    private static String jsonMessage(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        int cut = original.indexOf('\n');
        String first = cut < 0 ? original : original.substring(0, cut);
        return e.getLocation() == null ? "not valid JSON: " + first
                : "line " + e.getLocation().getLineNr() + ": " + first;
    }
}
