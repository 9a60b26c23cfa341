package dev.latchkey.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Origin;
import dev.latchkey.definition.Quote;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses one provider definition file into a {@link ProviderDefinition}. Strict: the format is
 * Latchkey's own, so an unknown key is a typo to report, not something to skip.
 */
final class ProviderParser {

    private static final Set<String> TOP_KEYS = Set.of("name", "displayName", "authorizationUrl", "scopes",
            "scopeSeparator", "usePKCE", "clientId", "authorizationParams", "redirect", "authorizeIn",
            "supportsRefresh", "browserAuth", "tokenEnvVarPattern", "credentialFiles");
    private static final Set<String> OAUTH_KEYS = Set.of("authorizationUrl", "scopes", "scopeSeparator",
            "usePKCE", "clientId", "authorizationParams", "redirect", "authorizeIn", "supportsRefresh");
    private static final Set<String> BROWSER_KEYS = Set.of("loginUrl", "allowedHosts", "ssoHosts", "readyWhen", "extract",
            "timeoutSeconds", "check");
    private static final Set<String> CHECK_KEYS = Set.of("url", "method", "headers", "healthyWhen", "accountLabel");

    private ProviderParser() {
    }

    static ProviderDefinition parse(JsonNode root, Origin origin) {
        if (!root.isObject()) {
            throw new InvalidDefinitionException("(file)", "must be a JSON object");
        }
        onlyKeys(root, TOP_KEYS, "");
        ProviderName name = new ProviderName(text(root, "name"));
        String displayName = text(root, "displayName");
        boolean hasOAuth = OAUTH_KEYS.stream().anyMatch(root::has);
        if (hasOAuth && root.has("browserAuth")) {
            throw new InvalidDefinitionException("browserAuth",
                    "a provider has either the OAuth fields or a browserAuth object, not both");
        }
        OAuthSettings oauth = hasOAuth ? oauth(root) : null;
        BrowserAuthSettings browser = root.has("browserAuth") ? browser(object(root, "browserAuth")) : null;
        return new ProviderDefinition(name, displayName, oauth, browser,
                stringMap(root, "tokenEnvVarPattern", false), credentialFiles(root), origin);
    }

    private static OAuthSettings oauth(JsonNode root) {
        return new OAuthSettings(
                url(root, "authorizationUrl"),
                stringList(root, "scopes"),
                text(root, "scopeSeparator"),
                bool(root, "usePKCE", null),
                optionalText(root, "clientId", ""),
                stringMap(root, "authorizationParams", true),
                choice(root, "redirect", Redirect.class, null),
                choice(root, "authorizeIn", AuthorizeIn.class, AuthorizeIn.SYSTEM),
                bool(root, "supportsRefresh", null));
    }

    private static BrowserAuthSettings browser(JsonNode node) {
        try {
            onlyKeys(node, BROWSER_KEYS, "");
            return new BrowserAuthSettings(
                    url(node, "loginUrl"),
                    stringList(node, "allowedHosts"),
                    regex(node, "readyWhen"),
                    extractions(object(node, "extract")),
                    node.has("timeoutSeconds") ? integer(node, "timeoutSeconds") : 300,
                    node.has("check") ? check(object(node, "check")) : null,
                    node.has("ssoHosts") ? stringList(node, "ssoHosts") : List.of());
        } catch (InvalidDefinitionException e) {
            throw e.under("browserAuth");
        }
    }

    private static SessionCheck check(JsonNode node) {
        try {
            onlyKeys(node, CHECK_KEYS, "");
            return new SessionCheck(url(node, "url"), optionalText(node, "method", "GET"), stringMap(node, "headers", true),
                    healthyWhen(object(node, "healthyWhen")),
                    node.has("accountLabel") ? stringList(node, "accountLabel") : List.of());
        } catch (InvalidDefinitionException e) {
            throw e.under("check");
        }
    }

    private static SessionCheck.HealthyWhen healthyWhen(JsonNode node) {
        try {
            onlyKeys(node, Set.of("status", "json"), "");
            Map<String, JsonNode> json = new LinkedHashMap<>();
            if (node.has("json")) {
                object(node, "json").fields().forEachRemaining(e -> json.put(e.getKey(), e.getValue()));
            }
            return new SessionCheck.HealthyWhen(node.has("status") ? integer(node, "status") : 200, json);
        } catch (InvalidDefinitionException e) {
            throw e.under("healthyWhen");
        }
    }

    private static Map<String, Extraction> extractions(JsonNode node) {
        Map<String, Extraction> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            try {
                if (!value.isObject()) {
                    throw new InvalidDefinitionException(e.getKey(),
                            "must be {\"script\": …} or {\"cookie\": …, \"domain\": …}");
                }
                if (value.has("script")) {
                    onlyKeys(value, Set.of("script", "shape"), "");
                    result.put(e.getKey(), new Extraction.Script(text(value, "script"), optionalText(value, "shape", null)));
                } else if (value.has("cookie")) {
                    onlyKeys(value, Set.of("cookie", "domain", "shape"), "");
                    result.put(e.getKey(), new Extraction.Cookie(text(value, "cookie"), text(value, "domain"),
                            optionalText(value, "shape", null)));
                } else {
                    throw new InvalidDefinitionException(e.getKey(),
                            "must be {\"script\": …} or {\"cookie\": …, \"domain\": …}");
                }
            } catch (InvalidDefinitionException problem) {
                throw problem.field().equals(e.getKey()) ? problem.under("extract") : problem.under(e.getKey()).under("extract");
            }
        }
        return result;
    }

    private static List<CredentialFile> credentialFiles(JsonNode root) {
        if (!root.has("credentialFiles")) {
            return List.of();
        }
        JsonNode array = root.get("credentialFiles");
        if (!array.isArray()) {
            throw new InvalidDefinitionException("credentialFiles", "must be an array, got " + kindOf(array));
        }
        List<CredentialFile> files = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            try {
                if (!item.isObject()) {
                    throw new InvalidDefinitionException("(item)", "must be {\"path\": …, \"template\": {…}}");
                }
                onlyKeys(item, Set.of("path", "template"), "");
                files.add(new CredentialFile(text(item, "path"), item.get("template")));
            } catch (InvalidDefinitionException e) {
                throw e.under("credentialFiles[" + i + "]");
            }
        }
        return files;
    }

    private static void onlyKeys(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new InvalidDefinitionException(prefix + key, "is not a field of a provider definition");
            }
        }
    }

    private static JsonNode object(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw new InvalidDefinitionException(field, "must be an object, got " + kindOf(value));
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidDefinitionException(field, "must be a string, got " + kindOf(value));
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field, String fallback) {
        return node.has(field) ? text(node, field) : fallback;
    }

    private static boolean bool(JsonNode node, String field, Boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null && fallback != null) {
            return fallback;
        }
        if (value == null || !value.isBoolean()) {
            throw new InvalidDefinitionException(field, "must be true or false, got " + kindOf(value));
        }
        return value.asBoolean();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new InvalidDefinitionException(field, "must be a whole number, got " + kindOf(value));
        }
        return value.asInt();
    }

    private static URI url(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidDefinitionException(field, "must be an https URL, got " + Quote.of(text));
        }
    }

    private static Pattern regex(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new InvalidDefinitionException(field,
                    "must be a regular expression, got " + Quote.of(text) + " (" + e.getDescription() + ")");
        }
    }

    private static <E extends Enum<E>> E choice(JsonNode node, String field, Class<E> type, E fallback) {
        if (!node.has(field) && fallback != null) {
            return fallback;
        }
        String text = text(node, field);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(text)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add("\"" + constant.name().toLowerCase(Locale.ROOT) + "\"");
        }
        throw new InvalidDefinitionException(field, "must be " + String.join(" or ", names) + ", got " + Quote.of(text));
    }

    private static List<String> stringList(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new InvalidDefinitionException(field, "must be an array of strings, got " + kindOf(value));
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidDefinitionException(field, "must be an array of strings, found " + kindOf(item));
            }
            result.add(item.asText());
        }
        return result;
    }

    private static Map<String, String> stringMap(JsonNode node, String field, boolean optional) {
        if (optional && !node.has(field)) {
            return Map.of();
        }
        JsonNode value = object(node, field);
        Map<String, String> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new InvalidDefinitionException(field + "." + e.getKey(),
                        "must be a string, got " + kindOf(e.getValue()));
            }
            result.put(e.getKey(), e.getValue().asText());
        }
        return result;
    }

    static String kindOf(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        return switch (value.getNodeType()) {
            case STRING -> Quote.of(value.asText());
            case NUMBER, BOOLEAN -> value.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
