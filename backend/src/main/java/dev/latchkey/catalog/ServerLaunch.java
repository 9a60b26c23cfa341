package dev.latchkey.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A catalog server's launch line with every placeholder filled in: what the MCP runtime starts.
 * Holds no provider tokens; those are added by the runtime from the connection.
 *
 * @param env only the manifest's variables; the runtime starts from an empty environment plus these
 */
public record ServerLaunch(String command, List<String> args, Map<String, String> env) {

    public ServerLaunch {
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }
}
