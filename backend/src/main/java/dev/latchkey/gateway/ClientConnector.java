package dev.latchkey.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.gateway.ClientRefusedException.Reason;
import dev.latchkey.store.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * "Connect a client": writes Latchkey into an MCP client program's own configuration file as one
 * server entry named {@value #ENTRY}, which runs {@code latchkey mcp} with a client token of its
 * own. The file is merged, never replaced: every other key and server stays as it was (comments do
 * not: the file is written back as plain JSON); the file as it was is kept beside it
 * ({@code <file>.latchkey.bak}). Both are written owner-only ({@code 0600}, {@link OwnerOnly#write}),
 * since the entry holds a token that opens the gateway. A former Latchkey client of that program is
 * revoked only once the new entry is written; a failed write revokes the new client instead. Undo
 * removes the entry (and only it) and revokes the client.
 */
public final class ClientConnector {

    /** The name of Latchkey's entry in a client's server list. */
    public static final String ENTRY = "latchkey";

    /** What is shown in place of the token before it is made (it exists only once the user confirms). */
    static final String TOKEN_PLACEHOLDER = "<a new client token, made when you confirm>";

    static final String TOKEN_ENV = "LATCHKEY_CLIENT_TOKEN";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * What connecting would write, and where; or what was written.
     *
     * @param key   where in the file the entry goes, e.g. {@code mcpServers.latchkey}
     * @param entry the entry as JSON, with a placeholder where the token goes
     */
    public record Plan(String client, String displayName, String path, boolean fileExists, boolean connected,
            String key, String entry) {
    }

    private final ClientService clients;
    private final Path home;
    private final boolean macOs;
    private final List<String> bridgeCommand;

    /**
     * @param bridgeCommand the command line that starts {@code latchkey mcp} for this data directory
     *                      (the launcher's absolute path first)
     */
    public ClientConnector(ClientService clients, Path home, boolean macOs, List<String> bridgeCommand) {
        this.clients = clients;
        this.home = home;
        this.macOs = macOs;
        this.bridgeCommand = List.copyOf(bridgeCommand);
    }

    /** The entry that connecting would add, the file it would go into, and whether it is there now. */
    public Plan preview(ClientApp app) {
        Path file = app.configFile(home, macOs);
        ObjectNode config = read(file);
        return new Plan(app.id(), app.displayName(), file.toString(), Files.exists(file),
                servers(config, app).has(ENTRY), key(app), pretty(entry(app, TOKEN_PLACEHOLDER)));
    }

    /** Makes a client for {@code app} and writes its entry; a former Latchkey client of that program is revoked. */
    public Plan connect(ClientApp app) {
        Path file = app.configFile(home, macOs);
        ObjectNode config = read(file);
        List<GatewayClient> former = active(app);
        ClientService.IssuedClient issued = clients.create(app.displayName(), app.id(), null);
        servers(config, app).set(ENTRY, entry(app, issued.token()));
        try {
            backup(file);
            write(file, config);
        } catch (RuntimeException e) {
            clients.revoke(issued.client().id());
            throw e;
        }
        former.forEach(client -> clients.revoke(client.id()));
        return new Plan(app.id(), app.displayName(), file.toString(), true, true, key(app),
                pretty(entry(app, TOKEN_PLACEHOLDER)));
    }

    /** Takes Latchkey's entry out of the file again (everything else stays) and revokes the client. */
    public Plan undo(ClientApp app) {
        Path file = app.configFile(home, macOs);
        ObjectNode config = read(file);
        if (config.get(app.serversKey()) instanceof ObjectNode servers && servers.has(ENTRY)) {
            backup(file);
            servers.remove(ENTRY);
            write(file, config);
        }
        active(app).forEach(client -> clients.revoke(client.id()));
        return new Plan(app.id(), app.displayName(), file.toString(), Files.exists(file), false, key(app),
                pretty(entry(app, TOKEN_PLACEHOLDER)));
    }

    private static String key(ClientApp app) {
        return app.serversKey() + "." + ENTRY;
    }

    private List<GatewayClient> active(ClientApp app) {
        return clients.list().stream().filter(client -> app.id().equals(client.kind()) && !client.revoked()).toList();
    }

    private ObjectNode entry(ClientApp app, String token) {
        ObjectNode entry = JSON.createObjectNode();
        if (app.typed()) {
            entry.put("type", "stdio");
        }
        entry.put("command", bridgeCommand.get(0));
        bridgeCommand.subList(1, bridgeCommand.size()).forEach(entry.putArray("args")::add);
        entry.putObject("env").put(TOKEN_ENV, token);
        return entry;
    }

    private static ObjectNode servers(ObjectNode config, ClientApp app) {
        JsonNode servers = config.get(app.serversKey());
        if (servers == null || servers.isNull()) {
            return config.putObject(app.serversKey());
        }
        if (servers instanceof ObjectNode object) {
            return object;
        }
        throw new ClientRefusedException(Reason.INVALID, "\"" + app.serversKey() + "\" in the " + app.displayName()
                + " configuration is not an object; Latchkey leaves the file as it is", null);
    }

    private static ObjectNode read(Path file) {
        if (!Files.exists(file)) {
            return JSON.createObjectNode();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                return JSON.createObjectNode();
            }
            if (JSON.readTree(text) instanceof ObjectNode object) {
                return object;
            }
            throw new ClientRefusedException(Reason.INVALID, file + " does not hold a JSON object; Latchkey leaves it as it is", null);
        } catch (JsonProcessingException e) {
            throw new ClientRefusedException(Reason.INVALID, file + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + "); Latchkey leaves it as it is", null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void backup(Path file) {
        if (Files.exists(file)) {
            Path backup = file.resolveSibling(file.getFileName() + ".latchkey.bak");
            try {
                OwnerOnly.write(backup, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot back up " + file + " to " + backup + ": " + e.getMessage(), e);
            }
        }
    }

    private static void write(Path file, ObjectNode config) {
        try {
            Files.createDirectories(file.getParent());
            OwnerOnly.write(file, (JSON.writeValueAsString(config) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String pretty(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
