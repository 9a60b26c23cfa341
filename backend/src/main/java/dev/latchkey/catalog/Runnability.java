package dev.latchkey.catalog;

import dev.latchkey.definition.Loopback;
import dev.latchkey.definition.Placeholder;
import dev.latchkey.definition.Quote;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Why Latchkey cannot run a server as its manifest describes it, as one sentence; null when it can. */
final class Runnability {

    private Runnability() {
    }

    static String problem(ServerSpec server, Map<String, UserConfigField> userConfig) {
        if (server.isRemote()) {
            String problem = remoteProblem(server.url());
            for (String text : server.headers().values()) {
                for (String name : Placeholder.names(text)) {
                    problem = problem != null ? problem : unknownPlaceholder(name, userConfig);
                }
            }
            return problem;
        }
        String command = server.command();
        if (command == null) {
            return "the manifest gives no command to run";
        }
        if (command.isBlank() || command.trim().equalsIgnoreCase("unknown")) {
            return "command " + Quote.of(command) + " cannot be run";
        }
        List<String> texts = new ArrayList<>();
        texts.add(command);
        texts.addAll(server.args());
        texts.addAll(server.env().values());
        for (String text : texts) {
            for (String name : Placeholder.names(text)) {
                String unknown = unknownPlaceholder(name, userConfig);
                if (unknown != null) {
                    return unknown;
                }
            }
        }
        String docker = "docker".equals(command.trim()) ? DockerArgs.problem(server.args()) : null;
        return docker != null ? docker : sensitiveOnCommandLine(server, userConfig);
    }

    /** A sensitive value in argv is readable by every local user ({@code /proc/PID/cmdline}, {@code ps}). */
    private static String sensitiveOnCommandLine(ServerSpec server, Map<String, UserConfigField> userConfig) {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(server.command());
        commandLine.addAll(server.args());
        for (int i = 0; i < commandLine.size(); i++) {
            for (String name : Placeholder.names(commandLine.get(i))) {
                String key = name.startsWith(Placeholders.USER_CONFIG) ? name.substring(Placeholders.USER_CONFIG.length()) : null;
                if (key != null && userConfig.get(key).sensitive()) {
                    return "user_config." + key + " is sensitive, but " + (i == 0 ? "server.command" : "server.args")
                            + " puts it on the command line, which every local user can read; pass it in server.env instead";
                }
            }
        }
        return null;
    }

    /** A remote server's URL must be https, or http on the loopback address only (MCP authorization, "Communication Security"). */
    private static String remoteProblem(String url) {
        if (url == null || url.isBlank()) {
            return "the manifest gives no server.url for its remote server";
        }
        try {
            java.net.URI uri = new java.net.URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            boolean loopback = Loopback.isLoopback(uri.getHost());
            if (uri.getHost() != null && (scheme.equals("https") || scheme.equals("http") && loopback)) {
                return null;
            }
        } catch (java.net.URISyntaxException e) {
            // falls through to the sentence
        }
        return "server.url " + Quote.of(url) + " is not an https URL (plain http is allowed on 127.0.0.1 and localhost only)";
    }

    private static String unknownPlaceholder(String name, Map<String, UserConfigField> userConfig) {
        if (name.startsWith(Placeholders.USER_CONFIG)) {
            String key = name.substring(Placeholders.USER_CONFIG.length());
            return userConfig.containsKey(key) ? null
                    : "the launch line uses ${" + name + "}, but user_config has no " + Quote.of(key);
        }
        return Placeholders.BUILT_INS.contains(name) ? null
                : "the launch line uses ${" + name + "}, which Latchkey cannot fill in";
    }
}
