package dev.latchkey.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Set;

/**
 * One setting a user fills in when installing a server (the manifest's {@code user_config}
 * entry, MCPB format).
 *
 * @param type         {@code string}, {@code number}, {@code boolean}, {@code directory} or {@code file}
 *                     (kept as written; another type makes the server not runnable)
 * @param defaultValue the manifest's {@code default}: a string, number, boolean or list; may use {@code ${HOME}}
 * @param min          lowest allowed number, or null
 * @param max          highest allowed number, or null
 * @param multiple     the value is a list, and a whole-argument placeholder expands into one argument per item
 * @param readOnly     Latchkey's own key {@code read_only}: a {@code directory} or {@code file} value
 *                     is bound into the server's sandbox read-only instead of read-write
 */
@JsonPropertyOrder({"type", "title", "description", "required", "default", "sensitive", "min", "max", "multiple", "read_only"})
public record UserConfigField(
        String type,
        String title,
        String description,
        boolean required,
        @JsonProperty("default") @JsonInclude(JsonInclude.Include.NON_NULL) Object defaultValue,
        boolean sensitive,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double min,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double max,
        boolean multiple,
        @JsonProperty("read_only") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean readOnly) {

    public static final Set<String> TYPES = Set.of("string", "number", "boolean", "directory", "file");

    public UserConfigField {
        title = title == null ? "" : title;
        description = description == null ? "" : description;
    }

    /** A field that is not read-only: what every manifest without Latchkey's {@code read_only} key gets. */
    public UserConfigField(String type, String title, String description, boolean required, Object defaultValue,
            boolean sensitive, Double min, Double max, boolean multiple) {
        this(type, title, description, required, defaultValue, sensitive, min, max, multiple, false);
    }

    @JsonIgnore
    public boolean isKnownType() {
        return TYPES.contains(type);
    }
}
