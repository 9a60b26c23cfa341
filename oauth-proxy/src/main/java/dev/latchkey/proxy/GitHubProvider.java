package dev.latchkey.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * GitHub: answers in JSON only when asked with {@code Accept: application/json} (form-encoded
 * otherwise; the base class reads both), refuses on HTTP 200, refreshes only apps with expiring
 * user tokens, and revokes a token by {@code DELETE /applications/{client_id}/token}, not RFC 7009.
 */
final class GitHubProvider extends OAuthProvider {

    GitHubProvider(ProviderSettings settings, Upstream upstream) {
        super(settings, upstream);
    }

    @Override
    protected Map<String, Object> extras(ObjectNode fields) {
        Map<String, Object> extras = super.extras(fields);
        copy(fields, "refresh_token_expires_in", extras, "refresh_token_expires_in");
        return extras;
    }

    @Override
    CompletableFuture<Void> revoke(RevokeRequest request) {
        if ("refresh_token".equals(request.tokenTypeHint())) {
            throw new OAuthError(400, "unsupported_token_type",
                    name() + " revokes access tokens only; revoking the access token ends the grant").failure();
        }
        URI url = revokeUrl().resolve(UpstreamAnswer.encode(settings.clientId()) + "/token");
        String body = Json.MAPPER.createObjectNode().put("access_token", request.token()).toString();
        UpstreamRequest call = new UpstreamRequest("DELETE", url,
                Map.of("Authorization", basic(), "Accept", "application/vnd.github+json"), "application/json", body);
        return revocation(call, request, answer -> answer.status() == 204);
    }
}
