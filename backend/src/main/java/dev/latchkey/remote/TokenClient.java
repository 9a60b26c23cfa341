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
 * {@code client_secret_post}.
 */
final class TokenClient {

    private final AuthHttp http;

    TokenClient(AuthHttp http) {
        this.http = http;
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
        Map<String, String> headers = authenticate(client, form);
        return http.postForm(revocationEndpoint, form, headers, "token revocation").ok();
    }

    private Tokens tokens(URI endpoint, RemoteClient client, Map<String, String> form, String keptRefresh) {
        Map<String, String> headers = authenticate(client, form);
        AuthHttp.Answer answer = http.postForm(endpoint, form, headers, "token endpoint");
        JsonNode body = answer.body();
        String access = body.path("access_token").asText("");
        if (!answer.ok() || access.isEmpty()) {
            String error = body.path("error").asText("");
            RemoteAuthException.Reason reason = "invalid_grant".equals(error)
                    ? RemoteAuthException.Reason.INVALID_GRANT : RemoteAuthException.Reason.REFUSED;
            throw new RemoteAuthException(reason, "the token endpoint " + endpoint + " refused the "
                    + ("refresh_token".equals(form.get("grant_type")) ? "refresh" : "sign-in") + " (" + errorOf(answer) + ")");
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
        return new Tokens(access, refresh, expiresIn, body.path("scope").textValue());
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
