package dev.latchkey.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Map;

/**
 * Notion: HTTP Basic client authentication (from its data) and a JSON request body instead of a
 * form; the answer names the workspace, the bot and the user who installed the integration.
 */
final class NotionProvider extends OAuthProvider {

    NotionProvider(ProviderSettings settings, Upstream upstream) {
        super(settings, upstream);
    }

    @Override
    protected UpstreamRequest post(URI url, Map<String, String> headers, Map<String, String> body) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        body.forEach(json::put);
        return new UpstreamRequest("POST", url, headers, "application/json", json.toString());
    }

    @Override
    protected Map<String, Object> extras(ObjectNode fields) {
        Map<String, Object> extras = super.extras(fields);
        copy(fields, "workspace_id", extras, "workspace_id");
        copy(fields, "workspace_name", extras, "workspace_name");
        copy(fields, "bot_id", extras, "bot_id");
        JsonNode user = fields.path("owner").path("user");
        copy(user, "id", extras, "user_id");
        copy(user, "name", extras, "name");
        copy(user.path("person"), "email", extras, "email");
        return extras;
    }
}
