package dev.latchkey.remote;

import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A remote server's Streamable HTTP transport as Latchkey uses it, around the SDK's, for two things
 * a server may do mid-session (MCP, "Session Management" and "Sending Messages to the Server"):
 * <ul>
 *   <li>it forgets the session and answers 404 to its {@code Mcp-Session-Id}: the SDK's client would
 *       drop every call under way and re-initialize; here the transport initializes a new session
 *       itself (the client's own {@code initialize} again, then {@code notifications/initialized})
 *       and sends the refused message once more, so the call succeeds and its caller notices
 *       nothing;</li>
 *   <li>it ends a request's answer stream without the answer ({@link StreamEnds}), or closes the
 *       connection: the call ends at once with a sentence saying so, instead of waiting out its time
 *       limit, and the session stays usable.</li>
 * </ul>
 */
final class SessionTransport implements McpClientTransport {

    /** How long after its stream ended an answer may still be on its way through the SDK's pipeline. */
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final Duration RENEW_LIMIT = Duration.ofSeconds(30);

    private final McpClientTransport inner;
    private final String server;
    private final Map<String, Object> pending = new ConcurrentHashMap<>();
    private final Map<String, Sinks.One<McpSchema.JSONRPCResponse>> own = new ConcurrentHashMap<>();
    private final AtomicReference<Mono<Void>> renewing = new AtomicReference<>();
    private final AtomicInteger generation = new AtomicInteger();
    private volatile Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
    private volatile McpSchema.JSONRPCRequest initialize;
    private volatile McpSchema.JSONRPCNotification initialized;

    /**
     * @param inner the SDK's transport, whose HTTP client is {@code new StreamEnds(transport::ended)}
     * @param server how the server is named in a sentence
     */
    SessionTransport(McpClientTransport inner, String server) {
        this.inner = inner;
        this.server = server;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        this.handler = handler;
        return inner.connect(messages -> handler.apply(messages.filter(this::forTheClient)));
    }

    /** Notes answers; keeps the answers to this transport's own {@code initialize} from the client. */
    private boolean forTheClient(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCResponse response && response.id() != null) {
            String id = String.valueOf(response.id());
            pending.remove(id);
            Sinks.One<McpSchema.JSONRPCResponse> mine = own.remove(id);
            if (mine != null) {
                mine.tryEmitValue(response);
                return false;
            }
        }
        return true;
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        // A forgotten session is this transport's to renew: the client would end every call under way.
        inner.setExceptionHandler(e -> {
            if (!(e instanceof McpTransportSessionNotFoundException)) {
                handler.accept(e);
            }
        });
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest request) {
            if ("initialize".equals(request.method())) {
                initialize = request;
            }
            pending.put(String.valueOf(request.id()), request.id());
        } else if (message instanceof McpSchema.JSONRPCNotification notification
                && McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(notification.method())) {
            initialized = notification;
        }
        return Mono.defer(() -> {
            int sentOn = generation.get();
            Mono<Void> waiting = renewing.get();
            return (waiting == null ? Mono.<Void>empty() : waiting).then(inner.sendMessage(message))
                    .onErrorResume(e -> forgotten(e) && initialize != null && message != initialize,
                            e -> (generation.get() == sentOn ? renew() : Mono.<Void>empty()).then(inner.sendMessage(message)));
        }).doOnError(e -> {
            if (message instanceof McpSchema.JSONRPCRequest request) {
                pending.remove(String.valueOf(request.id()));
            }
        }).onErrorMap(SessionTransport::closed, e -> new McpTransportException(server
                + " closed the connection before it answered (" + RemoteFailure.sentence(e) + ")", e))
                .onErrorMap(McpHttpClientTransportAuthorizationException.class, this::refused);
    }

    /** A refusal that stayed after the one retry (a step-up's, or none): what the server said, as a sentence. */
    private McpTransportException refused(McpHttpClientTransportAuthorizationException e) {
        int status = e.getResponseInfo() == null ? 0 : e.getResponseInfo().statusCode();
        Challenge challenge = e.getResponseInfo() == null ? Challenge.NONE
                : Challenge.parse(e.getResponseInfo().headers().allValues("WWW-Authenticate"));
        String said = "HTTP " + status + (challenge.errorText().isEmpty() ? "" : ": " + challenge.errorText())
                + challenge.scope().map(s -> ", scope " + s).orElse("");
        return new McpTransportException(status == 403
                ? server + " refused the call for lack of access (" + said + "); Latchkey asks for more access once"
                        + " for a call and does not sign in again for it"
                : server + " refused Latchkey's token (" + said + "); press Reconnect to sign in again", e);
    }

    /** Told by {@link StreamEnds}: the answer stream of request {@code id} has ended. */
    void ended(String id) {
        Mono.delay(SETTLE).subscribe(tick -> {
            Object original = pending.remove(id);
            Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> client = handler;
            if (original != null && client != null && !own.containsKey(id)) {
                client.apply(Mono.just(McpSchema.JSONRPCResponse.error(original, new McpSchema.JSONRPCResponse.JSONRPCError(
                        McpSchema.ErrorCodes.INTERNAL_ERROR, server + " ended the answer's stream before it answered;"
                                + " the call was not completed, try it again", null)))).subscribe();
            }
        });
    }

    /** One new session at a time: the client's {@code initialize} and {@code notifications/initialized} again. */
    private synchronized Mono<Void> renew() {
        Mono<Void> under = renewing.get();
        if (under != null) {
            return under;
        }
        String id = "latchkey-session-" + (generation.get() + 1);
        Sinks.One<McpSchema.JSONRPCResponse> answer = Sinks.one();
        own.put(id, answer);
        Mono<Void> renewal = inner.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, "initialize", id,
                        initialize.params()))
                .then(answer.asMono()).timeout(RENEW_LIMIT)
                .flatMap(response -> response.error() != null
                        ? Mono.<Void>error(new McpTransportException(server + " refused a new session: "
                                + response.error().message()))
                        : initialized == null ? Mono.<Void>empty() : inner.sendMessage(initialized))
                .doFinally(signal -> {
                    own.remove(id);
                    generation.incrementAndGet();
                    renewing.set(null);
                })
                .cache();
        renewing.set(renewal);
        return renewal;
    }

    private static boolean forgotten(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof McpTransportSessionNotFoundException) {
                return true;
            }
        }
        return false;
    }

    /** A connection that broke mid-answer; not one that could not be made, which is said as it is. */
    private static boolean closed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.http.HttpConnectTimeoutException) {
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return inner.closeGracefully();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return inner.unmarshalFrom(data, typeRef);
    }

    @Override
    public List<String> protocolVersions() {
        return inner.protocolVersions();
    }
}
