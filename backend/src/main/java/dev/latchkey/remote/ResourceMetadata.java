package dev.latchkey.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's protected-resource metadata (RFC 9728 §2), the fields MCP authorization uses:
 * its {@code resource} identifier, its {@code authorization_servers} and {@code scopes_supported}.
 */
record ResourceMetadata(URI resource, List<URI> authorizationServers, List<String> scopesSupported) {

    ResourceMetadata {
        authorizationServers = List.copyOf(authorizationServers);
        scopesSupported = List.copyOf(scopesSupported);
    }

    /**
     * Reads the document fetched from {@code from} for the server at {@code server}: the resource
     * must be the server's URL or a parent of it on the same origin (RFC 9728 §3.3, §7.3), and
     * at least one authorization server must be named.
     */
    static ResourceMetadata parse(JsonNode json, URI from, URI server) {
        String where = "the protected-resource metadata at " + from;
        URI resource = uri(json.path("resource"), where + " has no valid \"resource\"");
        if (!covers(resource, server)) {
            throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, where + " is for " + resource
                    + ", not for " + server + "; Latchkey does not sign in to a server another one speaks for");
        }
        List<URI> servers = new ArrayList<>();
        for (JsonNode item : json.path("authorization_servers")) {
            servers.add(Origins.require(uri(item, where + " lists an authorization server that is not a URL"),
                    "the authorization server"));
        }
        if (servers.isEmpty()) {
            throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA,
                    where + " names no \"authorization_servers\"");
        }
        return new ResourceMetadata(resource, servers, strings(json.path("scopes_supported")));
    }

    /** Whether {@code resource} identifies {@code server}: same origin, and its path is the server's or a parent of it. */
    static boolean covers(URI resource, URI server) {
        if (!Origins.sameOrigin(resource, server) || resource.getRawQuery() != null) {
            return false;
        }
        String parent = trimSlash(resource.getRawPath());
        String path = trimSlash(server.getRawPath());
        return path.equals(parent) || path.startsWith(parent + "/");
    }

    private static String trimSlash(String path) {
        String p = path == null ? "" : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    static URI uri(JsonNode node, String problem) {
        try {
            URI uri = node.isTextual() ? new URI(node.asText()) : null;
            if (uri != null && uri.isAbsolute() && uri.getHost() != null && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // falls through to the sentence
        }
        throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, problem);
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : array) {
            if (item.isTextual()) {
                values.add(item.asText());
            }
        }
        return values;
    }
}
