package dev.latchkey.gateway;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The MCP client programs "Connect a client" knows: where each keeps its MCP servers (on Linux;
 * macOS paths where they differ) and under which key. Each gets a stdio entry that runs
 * {@code latchkey mcp}, since the gateway's port changes from launch to launch.
 */
public enum ClientApp {

    CLAUDE_DESKTOP("claude-desktop", "Claude Desktop", "mcpServers", false),
    CURSOR("cursor", "Cursor", "mcpServers", false),
    VS_CODE("vscode", "VS Code", "servers", true),
    CLAUDE_CODE("claude-code", "Claude Code", "mcpServers", true);

    private final String id;
    private final String displayName;
    private final String serversKey;
    private final boolean typed;

    ClientApp(String id, String displayName, String serversKey, boolean typed) {
        this.id = id;
        this.displayName = displayName;
        this.serversKey = serversKey;
        this.typed = typed;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /** The top-level key whose object holds the servers by name. */
    String serversKey() {
        return serversKey;
    }

    /** True when an entry names its transport ({@code "type": "stdio"}), as VS Code and Claude Code expect. */
    boolean typed() {
        return typed;
    }

    /** The user's configuration file of this program under {@code home}. */
    public Path configFile(Path home, boolean macOs) {
        return switch (this) {
            case CLAUDE_DESKTOP -> macOs
                    ? home.resolve("Library/Application Support/Claude/claude_desktop_config.json")
                    : home.resolve(".config/Claude/claude_desktop_config.json");
            case CURSOR -> home.resolve(".cursor/mcp.json");
            case VS_CODE -> macOs
                    ? home.resolve("Library/Application Support/Code/User/mcp.json")
                    : home.resolve(".config/Code/User/mcp.json");
            case CLAUDE_CODE -> home.resolve(".claude.json");
        };
    }

    public static Optional<ClientApp> byId(String id) {
        String wanted = id == null ? "" : id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(app -> app.id.equals(wanted)).findFirst();
    }
}
