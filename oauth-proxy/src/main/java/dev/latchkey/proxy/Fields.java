package dev.latchkey.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of one request to the proxy, from a form body or a flat JSON object. A parameter
 * given twice is refused (RFC 6749 §3.2: "MUST NOT be included more than once").
 */
final class Fields {

    private final Map<String, String> values;

    private Fields(Map<String, String> values) {
        this.values = values;
    }

    /** Parses a request body by its content type: form-encoded or JSON. */
    static Fields parse(String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return form(new String(body, StandardCharsets.UTF_8));
        }
        if (type.startsWith("application/json")) {
            return json(body);
        }
        throw new OAuthError(415, "invalid_request",
                "the body must be application/x-www-form-urlencoded or application/json").failure();
    }

    private static Fields form(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            put(values, name, value);
        }
        return new Fields(values);
    }

    private static Fields json(byte[] body) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw OAuthError.invalidRequest("the body is not valid JSON").failure();
        }
        if (tree == null || !tree.isObject()) {
            throw OAuthError.invalidRequest("the body must be a JSON object").failure();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) tree::fields) {
            if (!field.getValue().isTextual()) {
                throw OAuthError.invalidRequest("\"" + field.getKey() + "\" must be a string").failure();
            }
            put(values, field.getKey(), field.getValue().textValue());
        }
        return new Fields(values);
    }

    private static void put(Map<String, String> values, String name, String value) {
        if (values.putIfAbsent(name, value) != null) {
            throw OAuthError.invalidRequest("\"" + shortName(name) + "\" is given more than once").failure();
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("the form body is not validly percent-encoded").failure();
        }
    }

    /** The value of a parameter that must be there. */
    String required(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw OAuthError.invalidRequest("missing \"" + name + "\" parameter").failure();
        }
        return value;
    }

    /** The value of a parameter, or null. */
    String optional(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String shortName(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "…" : name;
    }
}
