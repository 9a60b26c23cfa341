package dev.latchkey.remote;

import java.util.Objects;

/**
 * The OAuth client Latchkey signs in as at one authorization server: its {@code client_id}, the
 * secret when the AS issued one (RFC 7591 §3.2.1; a public client has none) and how it
 * authenticates at the token endpoint ({@code none}, {@code client_secret_basic} or
 * {@code client_secret_post}, RFC 7591 §2).
 */
public record RemoteClient(String clientId, String clientSecret, String authMethod) {

    public RemoteClient {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("a client id is not blank");
        }
        authMethod = clientSecret == null ? "none" : authMethod == null ? "client_secret_basic" : authMethod;
    }

    /** A public client: no secret, {@code none} at the token endpoint. */
    static RemoteClient publicClient(String clientId) {
        return new RemoteClient(clientId, null, "none");
    }

    @Override
    public String toString() {
        return "RemoteClient[" + clientId + ", " + authMethod + (clientSecret == null ? "" : ", secret hidden") + "]";
    }
}
