package dev.latchkey.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * How a catalog server is run, as its manifest says: a local process ({@code command}, {@code args},
 * {@code env}, each may hold placeholders) or a remote endpoint ({@code url}). Values are kept as
 * they came, even when Latchkey cannot run them; {@link CatalogServer#problem()} says why.
 *
 * @param headers what a remote server is sent with each request ({@code server.headers}, placeholders
 *                allowed: an API key the manifest names the header of)
 * @param type {@code local} or {@code remote}; the MCPB types {@code node}, {@code python} and
 *             {@code binary} are local servers and read as {@code local}
 */
@JsonPropertyOrder({"type", "command", "args", "env", "url", "headers"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerSpec(String type, String command, List<String> args, Map<String, String> env, String url,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> headers) {

    public ServerSpec {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    /** A server with no headers (every local one). */
    public ServerSpec(String type, String command, List<String> args, Map<String, String> env, String url) {
        this(type, command, args, env, url, Map.of());
    }

    @JsonIgnore
    public boolean isRemote() {
        return "remote".equals(type);
    }
}
