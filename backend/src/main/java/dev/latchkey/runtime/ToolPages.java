package dev.latchkey.runtime;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/** A server's whole tool list, asked for page by page (MCP pagination: {@code nextCursor}). */
public final class ToolPages {

    private ToolPages() {
    }

    /** Every tool {@code client}'s server offers, following its cursors to the last page. */
    public static List<McpSchema.Tool> all(McpSyncClient client) {
        List<McpSchema.Tool> tools = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = client.listTools(cursor);
            tools.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null);
        return tools;
    }
}
