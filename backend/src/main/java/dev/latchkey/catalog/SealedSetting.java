package dev.latchkey.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text a {@code sensitive} setting is sealed as, and the value it opens to: one value as its
 * text; a {@code multiple} field's list as a JSON array of strings, so that it opens to the same
 * items (never the one string {@code "[a, b]"}).
 */
public final class SealedSetting {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SealedSetting() {
    }

    /** The text to seal for a validated value ({@link UserConfig#validate}). */
    public static String text(Object value) {
        if (value instanceof Collection<?> items) {
            try {
                return JSON.writeValueAsString(items.stream().map(String::valueOf).toList());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a list of strings is always JSON", e);
            }
        }
        return String.valueOf(value);
    }

    /** {@code config} with every sensitive {@code multiple} setting opened back into its list. */
    public static Map<String, Object> opened(CatalogServer server, Map<String, Object> config) {
        Map<String, Object> opened = new LinkedHashMap<>(config);
        config.forEach((key, value) -> {
            UserConfigField field = server.userConfig().get(key);
            if (field != null && field.sensitive() && field.multiple() && value instanceof String text) {
                opened.put(key, list(text));
            }
        });
        return opened;
    }

    private static List<String> list(String text) {
        try {
            return List.of(JSON.readValue(text, String[].class));
        } catch (JsonProcessingException e) {
            return List.of(text); // sealed before lists were sealed as JSON: the one text it was
        }
    }
}
