package dev.latchkey.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Slack's {@code oauth.v2.access}: the user token sits under {@code authed_user} (the top level holds
 * the bot token, if any), a refusal is {@code ok:false} on HTTP 200 (read by the base class from its
 * {@code error} field), and {@code auth.revoke} is a Web API method authenticated by the token itself.
 */
final class SlackProvider extends OAuthProvider {

    SlackProvider(ProviderSettings settings, Upstream upstream) {
        super(settings, upstream);
    }

    @Override
    protected TokenResponse tokenResponse(ObjectNode fields) {
        JsonNode user = fields.get("authed_user");
        boolean userToken = user != null && user.hasNonNull("access_token");
        Map<String, Object> extras = new LinkedHashMap<>();
        copy(fields.get("team"), "id", extras, "team_id");
        copy(fields.get("team"), "name", extras, "team_name");
        copy(fields.get("enterprise"), "id", extras, "enterprise_id");
        copy(user, "id", extras, "user_id");
        copy(fields, "app_id", extras, "app_id");
        copy(fields, "bot_user_id", extras, "bot_user_id");
        if (userToken) {
            // The app may hold bot scopes too; the desktop decides which token a server gets.
            copy(fields, "access_token", extras, "bot_access_token");
        }
        return tokens(userToken ? user : fields, extras);
    }

    @Override
    CompletableFuture<Void> revoke(RevokeRequest request) {
        UpstreamRequest call = UpstreamRequest.postForm(revokeUrl(), Map.of("Accept", "application/json"),
                Map.of("token", request.token()));
        return revocation(call, request, answer -> {
            ObjectNode fields = answer.fields();
            return answer.ok() && fields != null && fields.path("ok").asBoolean(false);
        });
    }
}
