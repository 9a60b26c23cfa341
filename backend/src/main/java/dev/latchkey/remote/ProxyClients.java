package dev.latchkey.remote;

import java.net.URI;
import java.util.Optional;

/**
 * The seam for registration step (a): a client the OAuth proxy already holds for an authorization
 * server without dynamic registration (GitHub, Slack), whose secret stays in the proxy. The app
 * wires {@link #NONE} today: the proxy names its providers, not their issuers, so no remote
 * server is matched to one yet (docs/decisions.md).
 */
public interface ProxyClients {

    Optional<RemoteClient> forIssuer(URI issuer);

    ProxyClients NONE = issuer -> Optional.empty();
}
