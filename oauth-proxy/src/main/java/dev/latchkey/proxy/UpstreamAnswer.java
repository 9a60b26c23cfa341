package dev.latchkey.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What a provider answered: status, content type and body. {@link #fields()} reads a JSON object
 * or a form-encoded body (GitHub without {@code Accept: application/json}) into one shape.
 */
record UpstreamAnswer(ProviderName provider, int status, String contentType, byte[] body) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The answer's top-level fields, or null when the body is neither a JSON object nor a form. */
    ObjectNode fields() {
        String type = contentType.toLowerCase(Locale.ROOT);
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (type.contains("x-www-form-urlencoded")) {
            return formFields(text);
        }
        if (type.contains("json") || text.startsWith("{")) {
            try {
                JsonNode tree = Json.MAPPER.readTree(text);
                return tree instanceof ObjectNode object ? object : null;
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    private static ObjectNode formFields(String text) {
        ObjectNode fields = Json.MAPPER.createObjectNode();
        for (String pair : text.split("&")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                return null;
            }
            try {
                fields.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return fields;
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** A form-encoded body for a request to a provider. */
    static String form(Map<String, String> values) {
        StringBuilder body = new StringBuilder();
        values.forEach((name, value) -> {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(encode(name)).append('=').append(encode(value));
        });
        return body.toString();
    }

    static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
