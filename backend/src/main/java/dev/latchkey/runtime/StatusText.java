package dev.latchkey.runtime;

import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;

/** What a server's status says, in words: its tools, how it exited. */
public final class StatusText {

    /** How many tool names a running server's status names at most, and in how many characters. */
    private static final int NAMED_TOOLS = 12;
    private static final int NAMED_LENGTH = 240;

    private StatusText() {
    }

    /**
     * "12 tools: echo, add, …" — what the status of a running server says; a long list is cut after
     * the first names (up to {@value #NAMED_TOOLS}, in about {@value #NAMED_LENGTH} characters):
     * "63 tools: a, b, … and 51 more".
     */
    public static String describe(List<McpSchema.Tool> tools) {
        if (tools.isEmpty()) {
            return "Running; it offers no tools.";
        }
        StringBuilder names = new StringBuilder();
        int named = 0;
        for (McpSchema.Tool tool : tools) {
            String next = (named == 0 ? "" : ", ") + tool.name();
            boolean full = named == NAMED_TOOLS || names.length() + next.length() > NAMED_LENGTH;
            if (named > 0 && full && tools.size() - named > 1) { // never "… and 1 more": that one is named
                break;
            }
            names.append(named == 0 && next.length() > NAMED_LENGTH ? next.substring(0, NAMED_LENGTH) + "…" : next);
            named++;
        }
        String more = named < tools.size() ? ", … and " + (tools.size() - named) + " more" : "";
        return tools.size() + (tools.size() == 1 ? " tool: " : " tools: ") + names + more;
    }

    /** "exited with code 3", "was killed by signal 9 (exit code 137)". */
    static String exitDescription(int code) {
        if (code > 128 && code < 128 + 65) {
            return "was killed by signal " + (code - 128) + " (exit code " + code + ")";
        }
        return "exited with code " + code;
    }

    static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static String seconds(Duration wait) {
        return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
    }
}
