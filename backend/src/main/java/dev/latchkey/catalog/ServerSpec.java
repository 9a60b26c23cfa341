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
 * @param type {@code local} or {@code remote}; the MCPB types {@code node}, {@code python} and
 *             {@code binary} are local servers and read as {@code local}
 */
@JsonPropertyOrder({"type", "command", "args", "env", "url"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerSpec(String type, String command, List<String> args, Map<String, String> env, String url) {

    public ServerSpec {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    @JsonIgnore
    public boolean isRemote() {
        return "remote".equals(type);
    }
}
