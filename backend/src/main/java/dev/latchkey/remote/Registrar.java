package dev.latchkey.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the client Latchkey signs in as at an authorization server, in the order of MCP
 * authorization 2025-11-25, "Client Registration Approaches": a client the user gave (a
 * pre-registered one), then (a) one the OAuth proxy holds for that server, (b) a Client ID
 * Metadata Document when the server supports them and the document's URL is set, (c) dynamic
 * registration (RFC 7591), stored per issuer and reused; else the user is asked for a client id.
 * A proxy that cannot be asked does not stop the other steps: most servers are not the proxy's.
 */
final class Registrar {

    /** The credential values that say an install signed in as the proxy's app (its name, its public id). */
    static final String PROXY_PROVIDER = "proxyProvider";
    static final String CLIENT_ID = "clientId";
    private static final URI ANY_LOOPBACK = URI.create("http://127.0.0.1/oauth/callback");

    private final AuthHttp http;
    private final ProxyClients proxyClients;
    private final RegisteredClients registered;
    private final Optional<URI> metadataDocument;

    /** @param metadataDocument the https URL of Latchkey's client metadata document, when one is served */
    Registrar(AuthHttp http, ProxyClients proxyClients, RegisteredClients registered, Optional<URI> metadataDocument) {
        this.http = http;
        this.proxyClients = proxyClients;
        this.registered = registered;
        this.metadataDocument = metadataDocument;
    }

    RemoteClient client(AuthServerMetadata as, URI redirectUri, Optional<RemoteClient> given) {
        if (given.isPresent()) {
            return given.get();
        }
        Optional<RemoteClient> proxied = Optional.empty();
        RemoteAuthException proxyDown = null;
        try {
            proxied = proxyClients.forIssuer(as.issuer());
        } catch (RemoteAuthException e) {
            proxyDown = e;
        }
        if (proxied.isPresent()) {
            return proxied.get();
        }
        if (as.clientIdMetadataDocuments() && metadataDocument.isPresent()) {
            return RemoteClient.publicClient(metadataDocument.get().toString());
        }
        Optional<RemoteClient> known = registered.find(as.issuer());
        if (known.isPresent()) {
            return known.get();
        }
        String proxyNote = proxyDown == null ? "" : " (and " + proxyDown.getMessage() + ", which may hold one)";
        URI endpoint = as.registrationEndpoint().orElseThrow(() -> new RemoteAuthException(
                RemoteAuthException.Reason.NO_CLIENT, "the authorization server " + as.issuer()
                        + " offers no dynamic registration: enter the client id of an app registered there" + proxyNote));
        RemoteClient client = register(endpoint, as, redirectUri);
        registered.save(as.issuer(), client);
        return client;
    }

    /**
     * The client an install signed in as, for its refresh and revocation: the proxy's app when its
     * credentials say so (whatever the proxy lists now, so a proxy that is down or changed never
     * moves a grant to another client), else the one {@link #client} chooses.
     */
    RemoteClient signedInAs(AuthServerMetadata as, Map<String, String> credentials) {
        String provider = credentials.get(PROXY_PROVIDER);
        if (provider != null) {
            return RemoteClient.proxied(credentials.getOrDefault(CLIENT_ID, provider), provider);
        }
        return client(as, ANY_LOOPBACK, Optional.empty());
    }

    /** What the install's credentials keep of {@code client} beside its tokens (nothing secret). */
    static Map<String, String> remembered(RemoteClient client) {
        Map<String, String> values = new LinkedHashMap<>();
        if (client.viaProxy()) {
            values.put(PROXY_PROVIDER, client.proxyProvider());
            values.put(CLIENT_ID, client.clientId());
        }
        return values;
    }

    private RemoteClient register(URI endpoint, AuthServerMetadata as, URI redirectUri) {
        ObjectNode body = AuthHttp.json().createObjectNode();
        body.put("client_name", "Latchkey");
        body.putArray("redirect_uris").add(redirectUri.toString());
        body.putArray("grant_types").add("authorization_code").add("refresh_token");
        body.putArray("response_types").add("code");
        body.put("token_endpoint_auth_method", wantedMethod(as.tokenEndpointAuthMethods()));
        body.put("application_type", "native");
        AuthHttp.Answer answer = http.postJson(endpoint, body, "client registration");
        String clientId = answer.body().path("client_id").asText("");
        if (!answer.ok() || clientId.isBlank()) {
            throw new RemoteAuthException(RemoteAuthException.Reason.NO_CLIENT, "the authorization server " + as.issuer()
                    + " refused to register Latchkey (" + TokenClient.errorOf(answer)
                    + "): enter the client id of an app registered there");
        }
        JsonNode secret = answer.body().path("client_secret");
        JsonNode method = answer.body().path("token_endpoint_auth_method");
        return new RemoteClient(clientId, secret.isTextual() && !secret.asText().isEmpty() ? secret.asText() : null,
                method.isTextual() ? method.asText() : chosenFor(as.tokenEndpointAuthMethods()));
    }

    /** A public client where the server takes one; else the first secret method it names. */
    private static String wantedMethod(List<String> supported) {
        return supported.contains("none") ? "none" : chosenFor(supported);
    }

    private static String chosenFor(List<String> supported) {
        return supported.contains("client_secret_basic") || !supported.contains("client_secret_post")
                ? "client_secret_basic" : "client_secret_post";
    }
}
