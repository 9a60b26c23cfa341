package dev.latchkey.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.oauth.Pkce;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A remote server's token endpoint, as its client: the code exchange with the PKCE verifier and
 * the {@code resource} (RFC 6749 §4.1.3, RFC 7636 §4.5, RFC 8707 §2.2), refresh (§6) and
 * revocation (RFC 7009 §2.1), with the client authenticating as it registered: {@code none},
 * {@code client_secret_basic} (RFC 6749 §2.3.1, form-encoded id and secret) or
 * {@code client_secret_post}. A client the OAuth proxy holds ({@link RemoteClient#viaProxy}) sends
 * the same requests to the proxy's {@code /oauth/token} and {@code /oauth/revoke} under its
 * provider name, {@code resource} and PKCE verifier included, and the proxy adds the secret
 * (docs/oauth-proxy.md); a proxy that fails (5xx, 429) or cannot be reached is
 * {@link RemoteAuthException.Reason#UNREACHABLE}, so a refresh is tried again later.
 */
final class TokenClient {

    private final AuthHttp http;
    /** The OAuth proxy's base URL; null where there is none ({@code latchkey remote-check}). */
    private final URI proxy;

    TokenClient(AuthHttp http) {
        this(http, null);
    }

    TokenClient(AuthHttp http, URI proxy) {
        this.http = http;
        String url = proxy == null ? null : proxy.toString();
        this.proxy = url == null ? null : URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    Tokens exchange(URI tokenEndpoint, RemoteClient client, String code, Pkce pkce, URI redirectUri, URI resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri.toString());
        form.put("code_verifier", pkce.verifier());
        form.put("resource", resource.toString());
        return tokens(tokenEndpoint, client, form, null);
    }

    /** A refresh; a refresh token that does not come back is kept (RFC 6749 §6: the server may keep it). */
    Tokens refresh(URI tokenEndpoint, RemoteClient client, String refreshToken, URI resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("resource", resource.toString());
        return tokens(tokenEndpoint, client, form, refreshToken);
    }

    /** Revokes a token (RFC 7009); answers whether the server said yes. Never throws for the server's answer. */
    boolean revoke(URI revocationEndpoint, RemoteClient client, String token, String hint) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("token_type_hint", hint);
        if (client.viaProxy()) {
            return http.postForm(proxyEndpoint("/oauth/revoke", client, form), form, Map.of(), "OAuth proxy's revocation").ok();
        }
        Map<String, String> headers = authenticate(client, form);
        return http.postForm(revocationEndpoint, form, headers, "token revocation").ok();
    }

    private Tokens tokens(URI tokenEndpoint, RemoteClient client, Map<String, String> form, String keptRefresh) {
        URI endpoint = client.viaProxy() ? proxyEndpoint("/oauth/token", client, form) : tokenEndpoint;
        Map<String, String> headers = client.viaProxy() ? Map.of() : authenticate(client, form);
        AuthHttp.Answer answer = http.postForm(endpoint, form, headers, client.viaProxy() ? "OAuth proxy" : "token endpoint");
        JsonNode body = answer.body();
        String access = body.path("access_token").asText("");
        if (!answer.ok() || access.isEmpty()) {
            String error = body.path("error").asText("");
            String what = "refresh_token".equals(form.get("grant_type")) ? "refresh" : "sign-in";
            if (client.viaProxy() && (answer.status() >= 500 || answer.status() == 429)) {
                throw new RemoteAuthException(RemoteAuthException.Reason.UNREACHABLE, "the OAuth proxy at " + proxy
                        + " could not finish the " + what + " (" + errorOf(answer) + "); try again later");
            }
            RemoteAuthException.Reason reason = "invalid_grant".equals(error)
                    ? RemoteAuthException.Reason.INVALID_GRANT : RemoteAuthException.Reason.REFUSED;
            throw new RemoteAuthException(reason, (client.viaProxy() ? "the OAuth proxy at " + proxy : "the token endpoint "
                    + endpoint) + " refused the " + what + " (" + errorOf(answer) + ")");
        }
        String tokenType = body.path("token_type").asText("Bearer");
        if (!tokenType.equalsIgnoreCase("Bearer")) {
            throw new RemoteAuthException(RemoteAuthException.Reason.REFUSED, "the token endpoint " + endpoint
                    + " issued a \"" + printable(tokenType) + "\" token; Latchkey sends Bearer tokens only");
        }
        String refresh = Optional.ofNullable(body.path("refresh_token").textValue()).filter(s -> !s.isEmpty())
                .orElse(keptRefresh);
        Long expiresIn = body.path("expires_in").canConvertToLong() && body.path("expires_in").asLong() > 0
                ? body.path("expires_in").asLong() : null;
        return new Tokens(access, refresh, expiresIn, body.path("scope").textValue(), AccountLabel.of(body));
    }

    /** The proxy's {@code path}, with the proxy's app named in {@code form}; the proxy authenticates as it. */
    private URI proxyEndpoint(String path, RemoteClient client, Map<String, String> form) {
        if (proxy == null) {
            throw new RemoteAuthException(RemoteAuthException.Reason.NO_CLIENT, "the client " + client.clientId()
                    + " is the OAuth proxy's app " + client.proxyProvider() + ", and no proxy is set here");
        }
        form.put("provider", client.proxyProvider());
        return URI.create(proxy + path);
    }

    /** Puts the client's credentials where its method says; answers the headers to send. */
    private static Map<String, String> authenticate(RemoteClient client, Map<String, String> form) {
        switch (client.authMethod()) {
            case "client_secret_basic" -> {
                String pair = AuthHttp.encode(client.clientId()) + ":" + AuthHttp.encode(client.clientSecret());
                return Map.of("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            case "client_secret_post" -> {
                form.put("client_id", client.clientId());
                form.put("client_secret", client.clientSecret());
                return Map.of();
            }
            default -> {
                form.put("client_id", client.clientId());
                return Map.of();
            }
        }
    }

    /** {@code HTTP 400: invalid_grant: description}, from an error answer; never a token (none is in one). */
    static String errorOf(AuthHttp.Answer answer) {
        String error = printable(answer.body().path("error").asText(""));
        String description = printable(answer.body().path("error_description").asText(""));
        return "HTTP " + answer.status() + (error.isEmpty() ? "" : ": " + error)
                + (description.isEmpty() ? "" : ": " + description);
    }

    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }
}
