package dev.latchkey.remote;

import java.util.Objects;

/**
 * The OAuth client Latchkey signs in as at one authorization server: its {@code client_id}, the
 * secret when the AS issued one (RFC 7591 §3.2.1; a public client has none) and how it
 * authenticates at the token endpoint ({@code none}, {@code client_secret_basic} or
 * {@code client_secret_post}, RFC 7591 §2). {@code proxyProvider} names the OAuth proxy's app when
 * the client is one the proxy holds (registration step a): then the secret stays in the proxy, and
 * every token request goes through it under that name ({@link TokenClient}).
 */
public record RemoteClient(String clientId, String clientSecret, String authMethod, String proxyProvider) {

    public RemoteClient {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("a client id is not blank");
        }
        if (proxyProvider != null && clientSecret != null) {
            throw new IllegalArgumentException("a client the proxy holds keeps its secret in the proxy");
        }
        authMethod = proxyProvider != null ? "proxy" : clientSecret == null ? "none"
                : authMethod == null ? "client_secret_basic" : authMethod;
    }

    /** A client Latchkey itself authenticates as (or a public one). */
    public RemoteClient(String clientId, String clientSecret, String authMethod) {
        this(clientId, clientSecret, authMethod, null);
    }

    /** A public client: no secret, {@code none} at the token endpoint. */
    static RemoteClient publicClient(String clientId) {
        return new RemoteClient(clientId, null, "none");
    }

    /** The OAuth proxy's app {@code provider}, whose public id is {@code clientId}. */
    static RemoteClient proxied(String clientId, String provider) {
        return new RemoteClient(clientId, null, "proxy", Objects.requireNonNull(provider, "provider"));
    }

    boolean viaProxy() {
        return proxyProvider != null;
    }

    @Override
    public String toString() {
        return "RemoteClient[" + clientId + ", " + authMethod + (proxyProvider == null ? "" : " " + proxyProvider)
                + (clientSecret == null ? "" : ", secret hidden") + "]";
    }
}
