package dev.latchkey.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds where a remote MCP server signs in (MCP authorization 2025-11-25, "Authorization Server
 * Discovery"): its protected-resource metadata from the 401's {@code resource_metadata}, else at
 * the path-aware well-known URIs (RFC 9728 §3.1: {@code /.well-known/oauth-protected-resource/<path>},
 * then at the root); then its first authorization server's metadata, tried as RFC 8414
 * path-inserted, OpenID Connect path-inserted and OpenID Connect path-appended, in that order.
 */
final class Discovery {

    static final String PRM = "/.well-known/oauth-protected-resource";

    private final AuthHttp http;

    Discovery(AuthHttp http) {
        this.http = http;
    }

    /** Where a server signs in: its resource identifier and its authorization server. */
    record Target(URI server, ResourceMetadata resource, AuthServerMetadata authServer) {

        /** The {@code resource} parameter (RFC 8707): the metadata's resource identifier. */
        URI resourceIndicator() {
            return resource.resource();
        }
    }

    Target discover(URI server, Challenge challenge) {
        ResourceMetadata resource = resourceMetadata(server, challenge);
        URI issuer = resource.authorizationServers().get(0);
        return new Target(server, resource, authServer(issuer));
    }

    ResourceMetadata resourceMetadata(URI server, Challenge challenge) {
        List<URI> candidates = new ArrayList<>();
        Optional<URI> named = challenge.resourceMetadata();
        if (named.isPresent()) {
            URI uri = named.get();
            if (!Origins.sameOrigin(uri, server)) {
                // RFC 9728 §7.7 allows another origin, but then a token's audience could be chosen by anyone on the path.
                throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, "the server at " + server
                        + " names its resource metadata on another origin (" + Origins.origin(uri) + ")");
            }
            candidates.add(uri);
        } else {
            String path = server.getRawPath() == null ? "" : server.getRawPath();
            if (!path.isEmpty() && !path.equals("/")) {
                candidates.add(URI.create(Origins.origin(server) + PRM + trimTrailingSlash(path)));
            }
            candidates.add(URI.create(Origins.origin(server) + PRM));
        }
        for (URI candidate : candidates) {
            Optional<JsonNode> json = http.getJson(candidate, "protected-resource metadata");
            if (json.isPresent()) {
                return ResourceMetadata.parse(json.get(), candidate, server);
            }
        }
        throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, "the server at " + server
                + " asks for a sign-in but publishes no protected-resource metadata (tried " + join(candidates) + ")");
    }

    AuthServerMetadata authServer(URI issuer) {
        List<URI> candidates = authServerCandidates(issuer);
        for (URI candidate : candidates) {
            Optional<JsonNode> json = http.getJson(candidate, "authorization server metadata");
            if (json.isPresent()) {
                return AuthServerMetadata.parse(json.get(), candidate, issuer);
            }
        }
        throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, "the authorization server " + issuer
                + " publishes no metadata (tried " + join(candidates) + ")");
    }

    static List<URI> authServerCandidates(URI issuer) {
        String origin = Origins.origin(issuer);
        String path = trimTrailingSlash(issuer.getRawPath() == null ? "" : issuer.getRawPath());
        if (path.isEmpty()) {
            return List.of(URI.create(origin + "/.well-known/oauth-authorization-server"),
                    URI.create(origin + "/.well-known/openid-configuration"));
        }
        return List.of(URI.create(origin + "/.well-known/oauth-authorization-server" + path),
                URI.create(origin + "/.well-known/openid-configuration" + path),
                URI.create(origin + path + "/.well-known/openid-configuration"));
    }

    private static String trimTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String join(List<URI> uris) {
        return String.join(", ", uris.stream().map(URI::toString).toList());
    }
}
