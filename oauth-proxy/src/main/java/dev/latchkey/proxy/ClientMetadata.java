package dev.latchkey.proxy;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desktop app's Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document,
 * which MCP authorization 2025-11-25 names as registration approach b): the app offers this
 * document's URL as its {@code client_id} at an authorization server that advertises
 * {@code client_id_metadata_document_supported}, and the server fetches it from here. A public
 * client ({@code none} at the token endpoint: the app holds no secret) whose redirect URI is the
 * loopback callback; RFC 8252 §7.3 has the server accept it on any port, the app's port changing
 * each launch. The {@code client_id} must be this document's own URL, so it is built from
 * {@code PUBLIC_BASE_URL}, which must be https for any server to accept it.
 */
final class ClientMetadata {

    static final String PATH = "/client-metadata.json";

    /** Authorization servers may cache the document (the draft's §4.3); it changes only with a deployment. */
    private static final String CACHE = "public, max-age=3600";

    private final Map<String, Object> document;

    ClientMetadata(String baseUrl) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("client_id", baseUrl + PATH);
        doc.put("client_name", "Latchkey");
        doc.put("redirect_uris", List.of("http://127.0.0.1/oauth/callback"));
        doc.put("grant_types", List.of("authorization_code", "refresh_token"));
        doc.put("response_types", List.of("code"));
        doc.put("token_endpoint_auth_method", "none");
        doc.put("application_type", "native");
        this.document = java.util.Collections.unmodifiableMap(doc);
    }

    void answer(Context ctx) {
        ctx.header("Cache-Control", CACHE);
        ctx.res().setHeader("Pragma", null);
        ctx.json(document);
    }
}
