package dev.latchkey.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * An authorization server's metadata (RFC 8414 §2, OpenID Connect Discovery §3), the fields a
 * sign-in uses. Endpoints must be https (or loopback http), the issuer must be the URL the
 * metadata was looked up for (RFC 8414 §3.3), and PKCE S256 must be offered (MCP authorization:
 * a client must refuse an AS without {@code code_challenge_methods_supported}).
 */
record AuthServerMetadata(URI issuer, URI authorizationEndpoint, URI tokenEndpoint, Optional<URI> registrationEndpoint,
        Optional<URI> revocationEndpoint, List<String> tokenEndpointAuthMethods, List<String> scopesSupported,
        boolean clientIdMetadataDocuments, boolean issParameterSupported) {

    AuthServerMetadata {
        tokenEndpointAuthMethods = List.copyOf(tokenEndpointAuthMethods);
        scopesSupported = List.copyOf(scopesSupported);
    }

    static AuthServerMetadata parse(JsonNode json, URI from, URI issuerExpected) {
        String where = "the authorization server metadata at " + from;
        URI issuer = ResourceMetadata.uri(json.path("issuer"), where + " has no valid \"issuer\"");
        if (!sameIssuer(json.path("issuer").asText(), issuerExpected)) {
            throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, where + " names the issuer " + issuer
                    + ", not " + issuerExpected + " (RFC 8414 §3.3)");
        }
        List<String> pkce = ResourceMetadata.strings(json.path("code_challenge_methods_supported"));
        if (!pkce.contains("S256")) {
            throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, "the authorization server " + issuer
                    + " does not offer PKCE with S256 (code_challenge_methods_supported: "
                    + (pkce.isEmpty() ? "missing" : String.join(", ", pkce)) + "); Latchkey does not sign in without it");
        }
        List<String> methods = ResourceMetadata.strings(json.path("token_endpoint_auth_methods_supported"));
        return new AuthServerMetadata(issuer,
                endpoint(json, "authorization_endpoint", where, true).orElseThrow(),
                endpoint(json, "token_endpoint", where, true).orElseThrow(),
                endpoint(json, "registration_endpoint", where, false),
                endpoint(json, "revocation_endpoint", where, false),
                methods.isEmpty() ? List.of("client_secret_basic") : methods, // RFC 8414 §2's default
                ResourceMetadata.strings(json.path("scopes_supported")),
                json.path("client_id_metadata_document_supported").asBoolean(false),
                json.path("authorization_response_iss_parameter_supported").asBoolean(false));
    }

    /**
     * Issuers are compared as the strings they are, with no URL normalization (RFC 8414 §3.3,
     * RFC 9207 §2.4): {@code https://as.example} and {@code https://as.example/} are different issuers.
     */
    static boolean sameIssuer(String a, URI b) {
        return a.equals(b.toString());
    }

    private static Optional<URI> endpoint(JsonNode json, String field, String where, boolean required) {
        JsonNode node = json.path(field);
        if (node.isMissingNode() || node.isNull()) {
            if (required) {
                throw new RemoteAuthException(RemoteAuthException.Reason.BAD_METADATA, where + " has no \"" + field + "\"");
            }
            return Optional.empty();
        }
        URI uri = ResourceMetadata.uri(node, where + " has an invalid \"" + field + "\"");
        return Optional.of(Origins.require(uri, "its " + field));
    }
}
