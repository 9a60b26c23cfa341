package dev.latchkey.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Placeholder;
import dev.latchkey.definition.Quote;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A credentials file written into the server's own directory before it starts, for servers that
 * read a file rather than environment variables: the data form of the original guide's
 * {@code tokenHandler}. String values of the template may hold {@code ${field}} placeholders,
 * filled from the connection's values ({@code accessToken}, or a browser provider's extract names).
 *
 * @param path     relative to the server's directory (the one {@code ${__dirname}} names), no {@code ..}
 * @param template the JSON document to write
 */
public record CredentialFile(String path, JsonNode template) {

    public CredentialFile {
        if (path == null || path.isBlank()) {
            throw new InvalidDefinitionException("path", "must be a relative file path, got " + Quote.of(path));
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.matches("[A-Za-z]:.*")
                || Arrays.asList(path.split("[/\\\\]")).contains("..")) {
            throw new InvalidDefinitionException("path",
                    "must stay inside the server's directory (relative, no \"..\"), got " + Quote.of(path));
        }
        if (template == null || !template.isObject()) {
            throw new InvalidDefinitionException("template", "must be a JSON object");
        }
        template = template.deepCopy();
    }

    @Override
    public JsonNode template() {
        return template.deepCopy();
    }

    /** Every placeholder name used in the template's string values, sorted. */
    public Set<String> placeholders() {
        Set<String> names = new TreeSet<>();
        collect(template, names);
        return names;
    }

    /**
     * The template with each {@code ${field}} replaced by its value; a field with no value becomes
     * an empty string (e.g. no refresh token), so no placeholder is ever left in the file.
     */
    public JsonNode fill(Map<String, String> values) {
        return fill(template, values);
    }

    private static JsonNode fill(JsonNode node, Map<String, String> values) {
        if (node.isTextual()) {
            return TextNode.valueOf(Placeholder.fill(node.asText(), name -> values.getOrDefault(name, "")));
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), fill(e.getValue(), values)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(item -> copy.add(fill(item, values)));
            return copy;
        }
        return node.deepCopy();
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isTextual()) {
            names.addAll(Placeholder.names(node.asText()));
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            collect(it.next(), names);
        }
    }
}
