package dev.latchkey.remote;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients Latchkey registered dynamically (RFC 7591), one per authorization server, reused by
 * every install that signs in there. The app keeps them sealed in H2; {@link #inMemory} is for a
 * one-off {@code latchkey remote-check}.
 */
public interface RegisteredClients {

    Optional<RemoteClient> find(URI issuer);

    void save(URI issuer, RemoteClient client);

    /** Forgets a client the authorization server no longer knows ({@code invalid_client}). */
    void forget(URI issuer);

    static RegisteredClients inMemory() {
        Map<String, RemoteClient> clients = new ConcurrentHashMap<>();
        return new RegisteredClients() {
            @Override
            public Optional<RemoteClient> find(URI issuer) {
                return Optional.ofNullable(clients.get(issuer.toString()));
            }

            @Override
            public void save(URI issuer, RemoteClient client) {
                clients.put(issuer.toString(), client);
            }

            @Override
            public void forget(URI issuer) {
                clients.remove(issuer.toString());
            }
        };
    }
}
