package dev.latchkey.remote;

import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Optional;

/**
 * The bearer token on a remote server's requests (RFC 6750 §2.1), added only to requests for the
 * server's own origin, and what happens on a 401 or 403 (MCP authorization, "Error Handling"):
 * {@link Tokens} decides whether a new token is worth one retry. The SDK's transport replays the
 * request at most once ({@link #maxRetries}), so a refusal right after a fresh token ends the call
 * instead of looping.
 */
final class BearerAuth implements McpSyncHttpClientRequestCustomizer, McpHttpClientTransportAuthorizationErrorHandler.Sync {

    /** Where the token comes from and how a refusal is answered. */
    interface Tokens {

        Optional<String> current();

        /** A 401: answers true when a new token is there to retry with. */
        boolean unauthorized(Challenge challenge);

        /** A 403 {@code insufficient_scope}: answers true when a token with more scope is there. */
        boolean insufficientScope(Challenge challenge);
    }

    private final URI server;
    private final Tokens tokens;
    private final java.util.Map<String, String> headers;

    BearerAuth(URI server, Tokens tokens) {
        this(server, tokens, java.util.Map.of());
    }

    /** @param headers sent too, to the same origin only: the API key of a server that takes one instead of OAuth */
    BearerAuth(URI server, Tokens tokens, java.util.Map<String, String> headers) {
        this.server = server;
        this.tokens = tokens;
        this.headers = java.util.Map.copyOf(headers);
    }

    @Override
    public void customize(HttpRequest.Builder builder, String method, URI endpoint, String body,
            McpTransportContext context) {
        if (Origins.sameOrigin(endpoint, server)) {
            headers.forEach(builder::setHeader);
            tokens.current().ifPresent(token -> builder.setHeader("Authorization", "Bearer " + token));
        }
    }

    @Override
    public boolean handle(io.modelcontextprotocol.client.transport.HttpRequestSnapshot request,
            java.net.http.HttpResponse.ResponseInfo response, McpTransportContext context) {
        Challenge challenge = Challenge.parse(response.headers().allValues("WWW-Authenticate"));
        if (response.statusCode() == 401) {
            return tokens.unauthorized(challenge);
        }
        return response.statusCode() == 403 && challenge.insufficientScope() && tokens.insufficientScope(challenge);
    }

    static int maxRetries() {
        return 1;
    }

    McpHttpClientTransportAuthorizationErrorHandler handler() {
        McpHttpClientTransportAuthorizationErrorHandler async = McpHttpClientTransportAuthorizationErrorHandler.fromSync(this);
        return new McpHttpClientTransportAuthorizationErrorHandler() {
            @Override
            public org.reactivestreams.Publisher<Boolean> handle(io.modelcontextprotocol.client.transport.HttpRequestSnapshot s,
                    java.net.http.HttpResponse.ResponseInfo r, McpTransportContext c) {
                return async.handle(s, r, c);
            }

            @Override
            public int maxRetries() {
                return BearerAuth.maxRetries();
            }
        };
    }
}
