package dev.latchkey.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Origin;
import dev.latchkey.definition.Quote;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one catalog manifest, taking real catalogs as they come: unknown keys are ignored, odd
 * values are kept, and whatever stops Latchkey from running the server becomes the server's
 * {@code problem} instead of an error. Only a manifest with no usable {@code name} is refused
 * ({@link InvalidDefinitionException}), because nothing could be listed for it.
 */
final class ManifestParser {

    private static final Set<String> LOCAL_TYPES = Set.of("local", "node", "python", "binary");

    private final List<String> issues = new ArrayList<>();

    private ManifestParser() {
    }

    static CatalogServer parse(JsonNode root, Origin origin) {
        if (!root.isObject()) {
            throw new InvalidDefinitionException("(file)", "a manifest must be a JSON object");
        }
        JsonNode name = root.get("name");
        if (name == null || !name.isTextual() || !name.asText().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,199}")) {
            throw new InvalidDefinitionException("name",
                    "must be letters, digits, \".\", \"_\" or \"-\" (e.g. \"owner__server\"), got " + describe(name));
        }
        ManifestParser parser = new ManifestParser();
        ServerSpec server = parser.server(root.get("server"));
        Map<String, UserConfigField> userConfig = parser.userConfig(root.get("user_config"));
        ArchestraConfig archestra = parser.archestra(root.get("archestra_config"));
        String problem = parser.issues.isEmpty() ? Runnability.problem(server, userConfig) : parser.issues.get(0);
        return new CatalogServer(name.asText(), text(root.get("display_name")), text(root.get("description")),
                server, userConfig, archestra, origin, problem);
    }

    private ServerSpec server(JsonNode node) {
        if (node == null || !node.isObject()) {
            issues.add("the manifest has no \"server\" object, so there is nothing to run");
            return new ServerSpec("local", null, List.of(), Map.of(), null);
        }
        String type = text(node.get("type"));
        JsonNode launch = node;
        if (type == null || LOCAL_TYPES.contains(type)) {
            // MCPB manifests put the launch line under server.mcp_config.
            if (!node.has("command") && node.path("mcp_config").isObject()) {
                launch = node.get("mcp_config");
            }
            type = "local";
        } else if (!"remote".equals(type)) {
            issues.add("server.type " + Quote.of(type) + " is not one Latchkey knows (local or remote)");
        }
        return new ServerSpec(type, text(launch.get("command")), args(launch.get("args")), env(launch.get("env")),
                text(node.get("url")), strings(node.get("headers"), "server.headers"));
    }

    private List<String> args(JsonNode node) {
        List<String> args = new ArrayList<>();
        if (node == null || node.isNull()) {
            return args;
        }
        if (!node.isArray()) {
            issues.add("server.args must be a list, got " + describe(node));
            return args;
        }
        for (JsonNode item : node) {
            if (item.isValueNode() && !item.isNull()) {
                args.add(item.asText());
            } else {
                issues.add("server.args must hold strings, found " + describe(item));
            }
        }
        return args;
    }

    private Map<String, String> env(JsonNode node) {
        return strings(node, "server.env");
    }

    /** An object of string values ({@code server.env}, {@code server.headers}); other values are left out. */
    private Map<String, String> strings(JsonNode node, String field) {
        Map<String, String> env = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return env;
        }
        if (!node.isObject()) {
            issues.add(field + " must be an object, got " + describe(node));
            return env;
        }
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                env.put(e.getKey(), e.getValue().asText());
            }
        });
        return env;
    }

    private Map<String, UserConfigField> userConfig(JsonNode node) {
        Map<String, UserConfigField> fields = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return fields;
        }
        if (!node.isObject()) {
            issues.add("user_config must be an object, got " + describe(node));
            return fields;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode f = e.getValue();
            if (!f.isObject()) {
                issues.add("user_config." + e.getKey() + " must be an object, got " + describe(f));
                continue;
            }
            String type = text(f.get("type"));
            if (!UserConfigField.TYPES.contains(type)) {
                issues.add("user_config." + e.getKey() + " has type " + Quote.of(type)
                        + "; Latchkey knows string, number, boolean, directory and file");
            }
            fields.put(e.getKey(), new UserConfigField(type, text(f.get("title")), text(f.get("description")),
                    f.path("required").asBoolean(false), value(f.get("default")), f.path("sensitive").asBoolean(false),
                    bound(e.getKey(), "min", f.get("min")), bound(e.getKey(), "max", f.get("max")),
                    f.path("multiple").asBoolean(false), f.path("read_only").asBoolean(false)));
        }
        return fields;
    }

    private ArchestraConfig archestra(JsonNode node) {
        if (node == null || !node.isObject()) {
            return ArchestraConfig.NONE;
        }
        JsonNode oauth = node.path("oauth");
        String oauthProvider = blankToNull(text(oauth.get("provider")));
        JsonNode browser = node.path("browser_based");
        String explicit = blankToNull(text(browser.get("provider")));
        boolean offered = browser.path("required").asBoolean(false) || explicit != null;
        String browserProvider = !offered ? null
                : explicit != null ? explicit
                : oauthProvider != null ? oauthProvider + "-browser" : null;
        return new ArchestraConfig(new ArchestraConfig.OAuth(oauthProvider, oauth.path("required").asBoolean(false)),
                new ArchestraConfig.BrowserBased(browser.path("required").asBoolean(false), browserProvider));
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** A field's {@code min} or {@code max}; one too large for a double is an issue, not a silent infinity. */
    private Double bound(String key, String name, JsonNode node) {
        Double bound = number(node);
        if (bound != null && !Double.isFinite(bound)) {
            issues.add("user_config." + key + "." + name + " must be a finite number, got " + Quote.of(node.asText()));
            return null;
        }
        return bound;
    }

    private static Double number(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.valueOf(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Object value(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> {
                Object v = value(item);
                if (v != null) {
                    items.add(v);
                }
            });
            return List.copyOf(items);
        }
        return null;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case STRING -> Quote.of(node.asText());
            case NUMBER, BOOLEAN -> node.asText();
            case NULL -> "null";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
