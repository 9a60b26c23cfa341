package dev.latchkey.gateway;

import dev.latchkey.runtime.RunningServers;
import dev.latchkey.runtime.RunningServers.CallPermit;
import dev.latchkey.runtime.RunningServers.RunningServer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Sends a client's request on to an install's server and brings its answer back unchanged: checks
 * that the client may use the install, passes the runtime's gate ({@link RunningServers#admit}:
 * a server drained for a restart holds new calls there), waits on the request's own thread, and
 * ends that wait when the server stops. Every tools/call is told to the {@link CallLog}.
 */
final class Forwarder implements AutoCloseable {

    /** How often a message the stdio client would not queue is offered again. */
    private static final int MAX_SEND_ATTEMPTS = 50;

    /** A request thread waiting on an install's server; {@code why} is set when the gateway ended the wait. */
    private static final class Waiting {
        private final Thread thread = Thread.currentThread();
        private String why;
        private boolean answered;
    }

    private final RunningServers servers;
    private final CallLog callLog;
    private final Map<String, Set<Waiting>> inFlight = new ConcurrentHashMap<>();

    Forwarder(RunningServers servers, CallLog callLog) {
        this.servers = servers;
        this.callLog = callLog;
    }

    /** A tools/call for {@code name} of an install's server, counted and audited. */
    CallToolResult call(McpSyncServerExchange exchange, String installId, String name, CallToolRequest request) {
        GatewayClient client = client(exchange.transportContext());
        if (client.mayUse(installId)) {
            callLog.add(new CallLog.Call(client.id(), installId, name, Instant.now()));
        }
        return forward(exchange, installId, running ->
                running.client().callTool(new CallToolRequest(name, request.arguments(), request.meta())));
    }

    /** Sends one request to an install's server for the calling client, waiting until it answers or stops. */
    <T> T forward(McpSyncServerExchange exchange, String installId, Function<RunningServer, T> request) {
        GatewayClient client = client(exchange.transportContext());
        if (!client.mayUse(installId)) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS)
                    .message("the client \"" + client.name() + "\" may not use this install's tools").build();
        }
        try (CallPermit permit = admit(installId)) {
            RunningServer running = servers.find(installId).orElseThrow(() ->
                    McpError.builder(ErrorCodes.INTERNAL_ERROR).message("that install's server is not running").build());
            return waitFor(running, request);
        }
    }

    private CallPermit admit(String installId) {
        try {
            return servers.admit(installId);
        } catch (IllegalStateException e) {
            throw McpError.builder(ErrorCodes.INTERNAL_ERROR).message(e.getMessage()).build();
        }
    }

    private <T> T waitFor(RunningServer running, Function<RunningServer, T> request) {
        Waiting waiting = new Waiting();
        Set<Waiting> pending = inFlight.computeIfAbsent(running.installId(), id -> ConcurrentHashMap.newKeySet());
        pending.add(waiting);
        try {
            if (servers.find(running.installId()).isEmpty()) {
                interrupt(running.installId(), running.displayName() + " stopped during the call");
            }
            return send(running, request);
        } catch (RuntimeException e) {
            String why = stoppedBecause(waiting);
            throw why != null ? McpError.builder(ErrorCodes.INTERNAL_ERROR).message(why).build()
                    : mcpError(e, running.displayName());
        } finally {
            pending.remove(waiting);
            synchronized (waiting) {
                waiting.answered = true;
                if (waiting.why != null) {
                    Thread.interrupted(); // the request thread goes back to the server's pool without the interrupt
                }
            }
        }
    }

    /**
     * Ends the waits on an install's server: a stopped server must not leave a client hanging
     * (the SDK's stdio client waits for an answer until its timeout even when the process died).
     */
    void interrupt(String installId, String why) {
        for (Waiting waiting : inFlight.getOrDefault(installId, Set.of())) {
            synchronized (waiting) {
                if (!waiting.answered) {
                    waiting.why = why;
                    waiting.thread.interrupt();
                }
            }
        }
    }

    private static String stoppedBecause(Waiting waiting) {
        synchronized (waiting) {
            return waiting.why;
        }
    }

    private static <T> T send(RunningServer running, Function<RunningServer, T> request) {
        // The SDK's stdio client refuses a message while another is being queued ("Failed to
        // enqueue message"); nothing was sent then, so sending again is safe.
        for (int attempt = 1; ; attempt++) {
            try {
                return request.apply(running);
            } catch (RuntimeException e) {
                if (attempt >= MAX_SEND_ATTEMPTS || !notSent(e)) {
                    throw e;
                }
                Thread.yield();
            }
        }
    }

    private static boolean notSent(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if ("Failed to enqueue message".equals(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** A downstream MCP error passes unchanged; anything else becomes an internal error naming the server. */
    private static McpError mcpError(Throwable cause, String server) {
        if (cause instanceof McpError error) {
            return error;
        }
        return McpError.builder(ErrorCodes.INTERNAL_ERROR).message(server + " failed: " + cause.getMessage()).build();
    }

    static GatewayClient client(McpTransportContext context) {
        if (context.get(Gateway.CLIENT) instanceof GatewayClient client) {
            return client;
        }
        throw McpError.builder(ErrorCodes.INVALID_REQUEST).message("no client token came with this request").build();
    }

    @Override
    public void close() {
        callLog.close();
    }
}
