package dev.latchkey.proxy;

import java.net.URI;
import java.util.Objects;

/**
 * One registered provider: its credentials and endpoints, from the environment over the
 * built-in defaults. {@code revokeUrl} is null for a provider that has no revocation endpoint.
 * {@code issuer} is the authorization server's issuer identifier (RFC 8414 §2) when the app is
 * also to serve remote MCP servers whose protected-resource metadata names that server (MCP
 * authorization, registration by a pre-registered client); null when it is not.
 * {@link #toString()} never shows the client secret.
 */
public record ProviderSettings(
        ProviderName name,
        ProviderKind kind,
        String clientId,
        String clientSecret,
        URI tokenUrl,
        URI revokeUrl,
        ClientAuth clientAuth,
        boolean refreshes,
        URI issuer) {

    public ProviderSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalArgumentException(name + ": a client id and a client secret are both needed");
        }
        requireSafeEndpoint(name.envPrefix() + "_TOKEN_URL", Objects.requireNonNull(tokenUrl, "tokenUrl"));
        if (revokeUrl != null) {
            requireSafeEndpoint(name.envPrefix() + "_REVOKE_URL", revokeUrl);
        }
        if (issuer != null) {
            requireSafeEndpoint(name.envPrefix() + "_ISSUER", issuer);
            if (issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
                throw new IllegalArgumentException(name.envPrefix() + "_ISSUER is an issuer identifier, which has no "
                        + "query or fragment (RFC 8414 §2), got " + issuer);
            }
        }
    }

    /** A provider that serves no remote MCP server's authorization server. */
    public ProviderSettings(ProviderName name, ProviderKind kind, String clientId, String clientSecret, URI tokenUrl,
            URI revokeUrl, ClientAuth clientAuth, boolean refreshes) {
        this(name, kind, clientId, clientSecret, tokenUrl, revokeUrl, clientAuth, refreshes, null);
    }

    /**
     * The client secret travels to this endpoint, so it must be HTTPS; plain HTTP is allowed only
     * on the loopback interface, where tests and a developer's local stand-ins run.
     */
    private static void requireSafeEndpoint(String variable, URI url) {
        String scheme = url.getScheme();
        String host = url.getHost();
        boolean https = "https".equals(scheme) && host != null;
        boolean loopbackHttp = "http".equals(scheme)
                && ("127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host));
        if (!https && !loopbackHttp) {
            throw new IllegalArgumentException(variable + " must be an https URL (http only on 127.0.0.1 or localhost), got " + url);
        }
    }

    @Override
    public String toString() {
        return "ProviderSettings[" + name + ", kind=" + kind + ", clientId=" + clientId
                + ", clientSecret=(hidden), tokenUrl=" + tokenUrl + ", revokeUrl=" + revokeUrl
                + ", clientAuth=" + clientAuth + ", refreshes=" + refreshes + ", issuer=" + issuer + "]";
    }
}
