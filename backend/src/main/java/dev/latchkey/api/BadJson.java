package dev.latchkey.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;

/**
 * Turns a request body Jackson could not read into the one error body. Jackson's own messages
 * quote the offending value and name Java classes; a value may be a secret the user pasted, so
 * only positions and field names are ever repeated.
 */
final class BadJson {

    private BadJson() {
    }

    static ApiError of(JacksonException e) {
        if (e instanceof JsonParseException) {
            return new ApiError("bad_request", "the body is not valid JSON" + at(e.getLocation()));
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new ApiError("bad_request", "unknown field \"" + unknown.getPropertyName() + "\"",
                    unknown.getPropertyName());
        }
        if (e instanceof DatabindException mapping) {
            String field = path(mapping);
            return field.isEmpty()
                    ? new ApiError("bad_request", "the body must be a JSON object")
                    : new ApiError("bad_request", field + ": not the type expected", field);
        }
        return new ApiError("bad_request", "the body is not the JSON expected" + at(e.getLocation()));
    }

    private static String path(DatabindException e) {
        return ((JsonMappingException) e).getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
