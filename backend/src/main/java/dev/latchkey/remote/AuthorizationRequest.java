package dev.latchkey.remote;

import dev.latchkey.oauth.Pkce;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One authorization request to a remote server's authorization server (RFC 6749 §4.1.1) and the
 * check of its answer at the callback: PKCE S256 (RFC 7636), the {@code resource} (RFC 8707 §2.1),
 * the scope when one is known, and on the way back the state (compared by the caller's single-use
 * store), the {@code iss} (RFC 9207 §2.4) and an error.
 */
record AuthorizationRequest(Discovery.Target target, RemoteClient client, URI redirectUri, String state, Pkce pkce,
        Optional<String> scope) {

    URI url() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", redirectUri.toString());
        query.put("state", state);
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        query.put("resource", target.resourceIndicator().toString());
        scope.ifPresent(s -> query.put("scope", s));
        String endpoint = target.authServer().authorizationEndpoint().toString();
        String joined = query.entrySet().stream().map(e -> AuthHttp.encode(e.getKey()) + "=" + AuthHttp.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + joined);
    }

    /**
     * The code from the callback's parameters, after the checks RFC 9207 asks for: an {@code iss}
     * that is sent must be the issuer; one that is missing is refused when the server said it sends it.
     */
    String code(Map<String, String> callback) {
        AuthServerMetadata as = target.authServer();
        String iss = callback.get("iss");
        if (iss != null && !AuthServerMetadata.sameIssuer(iss, as.issuer())) {
            throw new RemoteAuthException(RemoteAuthException.Reason.REFUSED, "the sign-in came back from the issuer "
                    + printable(iss) + ", not from " + as.issuer() + " (RFC 9207): it may be a mix-up attack, nothing was stored");
        }
        if (iss == null && as.issParameterSupported()) {
            throw new RemoteAuthException(RemoteAuthException.Reason.REFUSED, "the sign-in came back without the issuer "
                    + as.issuer() + " said it always sends (RFC 9207); nothing was stored");
        }
        String error = callback.get("error");
        if (error != null) {
            throw new RemoteAuthException(RemoteAuthException.Reason.REFUSED, "access_denied".equals(error)
                    ? "you did not allow Latchkey access at " + as.issuer()
                    : as.issuer() + " refused the sign-in (" + printable(error) + ")");
        }
        String code = callback.get("code");
        if (code == null || code.isEmpty()) {
            throw new RemoteAuthException(RemoteAuthException.Reason.REFUSED, as.issuer() + " sent neither a code nor an error");
        }
        return code;
    }

    private static String printable(String text) {
        String clean = text.replaceAll("[^\\x21-\\x7e]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) : clean;
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[" + target.server() + ", " + client.clientId() + ", scope " + scope + "]";
    }
}
