package dev.latchkey.remote;

import java.net.URI;
import java.util.Optional;

/**
 * Registration step (a): a client the OAuth proxy holds for an authorization server without
 * dynamic registration (GitHub, Slack), whose secret stays in the proxy. The proxy names, for each
 * app it holds, the issuer of the server it is registered at ({@code GET /oauth/providers},
 * {@code issuers}); {@link ProxyIssuers} reads that. {@link #NONE} is for
 * {@code latchkey remote-check}, which runs without a proxy.
 */
public interface ProxyClients {

    /**
     * The proxy's client for {@code issuer} (compared as an exact string, RFC 8414 §3.3), or empty
     * when it holds none; throws {@link RemoteAuthException.Reason#UNREACHABLE} when the proxy
     * could not be asked (the caller goes on with the other steps).
     */
    Optional<RemoteClient> forIssuer(URI issuer);

    ProxyClients NONE = issuer -> Optional.empty();
}
