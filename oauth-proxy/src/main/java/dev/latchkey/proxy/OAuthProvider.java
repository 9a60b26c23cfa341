package dev.latchkey.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A provider that speaks standard OAuth 2.0 at its token endpoint (RFC 6749 §4.1.3, §6) and, when
 * it has one, its revocation endpoint (RFC 7009). It authenticates with {@code client_secret_post}
 * or HTTP Basic, reads JSON or form-encoded answers, and treats an {@code error} field as an error
 * even on HTTP 200. Subclasses exist only for providers with real quirks.
 *
 * <p>A refusal that needs no call to the provider is thrown at once; everything decided from the
 * provider's answer completes the returned future, exceptionally with an {@link OAuthError.Failure}.
 */
class OAuthProvider {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,9}");

    protected final ProviderSettings settings;
    protected final Upstream upstream;

    OAuthProvider(ProviderSettings settings, Upstream upstream) {
        this.settings = settings;
        this.upstream = upstream;
    }

    ProviderName name() {
        return settings.name();
    }

    CompletableFuture<TokenResponse> exchangeCode(TokenGrant.Code grant) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "authorization_code");
        params.put("code", grant.code());
        params.put("redirect_uri", grant.redirectUri().toString());
        params.put("code_verifier", grant.codeVerifier());
        resource(grant, params);
        return token(params, List.of(grant.code(), grant.codeVerifier()));
    }

    CompletableFuture<TokenResponse> refresh(TokenGrant.Refresh grant) {
        if (!settings.refreshes()) {
            throw new OAuthError(400, "unsupported_grant_type", name() + " tokens cannot be refreshed here; "
                    + "sign in again (set " + name().envPrefix() + "_REFRESH=true if the app now issues refresh tokens)")
                    .failure();
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "refresh_token");
        params.put("refresh_token", grant.refreshToken());
        resource(grant, params);
        return token(params, List.of(grant.refreshToken()));
    }

    /** RFC 8707 §2.2: the resource the desktop named goes on to the provider's token endpoint. */
    private static void resource(TokenGrant grant, Map<String, String> params) {
        if (grant.resource() != null) {
            params.put("resource", grant.resource().toString());
        }
    }

    /** RFC 7009 §2: the token, its hint, and the client's own authentication. */
    CompletableFuture<Void> revoke(RevokeRequest request) {
        URI url = revokeUrl();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("token", request.token());
        if (request.tokenTypeHint() != null) {
            params.put("token_type_hint", request.tokenTypeHint());
        }
        return revocation(authenticated(url, params), request, UpstreamAnswer::ok);
    }

    /** Sends the revocation call; an answer that {@code revoked} does not accept is the provider's refusal. */
    protected final CompletableFuture<Void> revocation(UpstreamRequest call, RevokeRequest request,
                                                       Predicate<UpstreamAnswer> revoked) {
        return upstream.send(name(), call).thenAccept(answer -> {
            if (!revoked.test(answer)) {
                throw upstreamError(answer, answer.fields(), "revocation", List.of(request.token()));
            }
        });
    }

    /** The revocation endpoint, or a clear refusal when the provider has none. */
    protected URI revokeUrl() {
        if (settings.revokeUrl() == null) {
            throw new OAuthError(400, "unsupported_token_type", name()
                    + " has no token revocation endpoint; remove the app's access in the " + name()
                    + " account settings").failure();
        }
        return settings.revokeUrl();
    }

    private CompletableFuture<TokenResponse> token(Map<String, String> params, List<String> secretsSent) {
        return upstream.send(name(), authenticated(settings.tokenUrl(), params))
                .thenApply(answer -> tokenAnswer(answer, secretsSent));
    }

    private TokenResponse tokenAnswer(UpstreamAnswer answer, List<String> secretsSent) {
        ObjectNode fields = answer.fields();
        if (fields == null && answer.ok()) {
            throw new OAuthError(502, "server_error", name() + " sent a token answer that is not JSON or a form "
                    + "(HTTP " + answer.status() + ", " + describeType(answer.contentType()) + ")").failure();
        }
        if (!answer.ok() || fields.hasNonNull("error")) {
            throw upstreamError(answer, fields, "token request", secretsSent);
        }
        return tokenResponse(fields);
    }

    /** Builds the POST with client authentication as configured and the body as this provider wants it. */
    protected UpstreamRequest authenticated(URI url, Map<String, String> params) {
        Map<String, String> body = new LinkedHashMap<>(params);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (settings.clientAuth() == ClientAuth.BASIC) {
            headers.put("Authorization", basic());
        } else {
            body.put("client_id", settings.clientId());
            body.put("client_secret", settings.clientSecret());
        }
        return post(url, headers, body);
    }

    /** The POST with its body encoded; RFC 6749 wants a form, Notion wants JSON. */
    protected UpstreamRequest post(URI url, Map<String, String> headers, Map<String, String> body) {
        return UpstreamRequest.postForm(url, headers, body);
    }

    /** RFC 6749 §2.3.1: both parts are form-encoded before they are joined and base64-encoded. */
    protected String basic() {
        String pair = UpstreamAnswer.encode(settings.clientId()) + ":" + UpstreamAnswer.encode(settings.clientSecret());
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the normalized answer from a successful token answer. */
    protected TokenResponse tokenResponse(ObjectNode fields) {
        return tokens(fields, extras(fields));
    }

    /** The RFC 6749 §5.1 fields of {@code source} (the answer, or the part of it that holds the token). */
    protected final TokenResponse tokens(JsonNode source, Map<String, Object> extras) {
        String accessToken = text(source, "access_token");
        if (accessToken == null) {
            throw new OAuthError(502, "server_error", name() + " sent a token answer without access_token").failure();
        }
        return new TokenResponse(
                accessToken,
                source.hasNonNull("token_type") ? text(source, "token_type") : "Bearer",
                seconds(source.get("expires_in")),
                text(source, "refresh_token"),
                text(source, "scope"),
                extras);
    }

    /**
     * What the answer says about the account. For OpenID Connect providers (Google, Microsoft) the
     * ID token's claims name the user; the token came straight from the token endpoint over TLS,
     * so its claims are read without checking the signature (OpenID Connect Core §3.1.3.7).
     */
    protected Map<String, Object> extras(ObjectNode fields) {
        Map<String, Object> extras = new LinkedHashMap<>();
        JsonNode claims = IdTokenClaims.read(text(fields, "id_token"));
        if (claims != null) {
            copy(claims, "sub", extras, "user_id");
            copy(claims, "email", extras, "email");
            if (!extras.containsKey("email")) {
                copy(claims, "preferred_username", extras, "email");
            }
            copy(claims, "name", extras, "name");
        }
        return extras;
    }

    protected static void copy(JsonNode from, String field, Map<String, Object> to, String as) {
        JsonNode value = from == null ? null : from.get(field);
        if (value != null && (value.isTextual() || value.isNumber()) && !value.asText().isEmpty()) {
            to.put(as, value.asText());
        }
    }

    protected static String text(JsonNode fields, String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** {@code expires_in} as a number or a numeric string (form-encoded answers). */
    protected Integer seconds(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.canConvertToInt() && value.isIntegralNumber()) {
            return value.intValue();
        }
        if (value.isTextual() && WHOLE_NUMBER.matcher(value.textValue()).matches()) {
            return Integer.valueOf(value.textValue());
        }
        throw new OAuthError(502, "server_error", name() + " sent an expires_in that is not a whole number").failure();
    }

    /**
     * The upstream refusal as the proxy's error: the provider's own error code where it gave one,
     * its description with anything the request sent scrubbed out, and a status that tells the
     * desktop whose fault it is.
     */
    protected OAuthError.Failure upstreamError(UpstreamAnswer answer, ObjectNode fields, String what,
                                               List<String> secretsSent) {
        String code = fields == null ? null : text(fields, "error");
        boolean named = code != null && code.matches("[a-z0-9_.\\-]{1,64}");
        if (!named && answer.status() == 401) {
            return new OAuthError(401, "invalid_client", name() + " refused this proxy's client credentials (HTTP 401)")
                    .failure();
        }
        if (!named || answer.status() >= 500) {
            String error = answer.status() == 503 || "temporarily_unavailable".equals(code)
                    ? "temporarily_unavailable" : "server_error";
            return new OAuthError(502, error, name() + " failed the " + what + " (HTTP " + answer.status()
                    + (named ? ", " + code : "") + ")").failure();
        }
        String detail = fields.hasNonNull("error_description")
                ? ": " + scrub(text(fields, "error_description"), secretsSent) : "";
        int status = code.equals("invalid_client") ? 401 : 400;
        return new OAuthError(status, code, name() + " refused the " + what + " (" + code + ")" + detail).failure();
    }

    /**
     * Removes every secret this proxy holds or was sent from text that came back from upstream, then
     * cuts it to 300 characters: in that order, since a cut first could split a secret and leave its
     * start, which no longer matches, in the text.
     */
    private String scrub(String text, List<String> secretsSent) {
        String clean = text.replaceAll("[\\p{Cntrl}]", " ");
        for (String secret : concat(secretsSent, settings.clientSecret())) {
            if (secret.length() >= 4) {
                clean = clean.replace(secret, "[redacted]");
            }
        }
        return clean.length() > 300 ? clean.substring(0, 300) + "…" : clean;
    }

    private static List<String> concat(List<String> list, String one) {
        List<String> all = new java.util.ArrayList<>(list);
        all.add(one);
        return all;
    }

    private static String describeType(String contentType) {
        String type = contentType.isEmpty() ? "no content type" : contentType.split(";")[0].strip();
        return type.length() > 60 ? type.substring(0, 60) : type;
    }
}
