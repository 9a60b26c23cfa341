package dev.latchkey.runtime;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The MCP stdio transport over a process the runtime started itself: newline-delimited JSON-RPC
 * messages on its stdin and stdout, read and written with the SDK's own message types and JSON
 * mapper. The SDK's {@code StdioClientTransport} starts the process itself and copies part of the
 * app's environment into it ({@code ServerParameters} adds HOME, USER, SHELL…); Latchkey needs
 * the process in hand (clean environment, own process group, exit code), so it hands only the
 * streams to the SDK's client through this class.
 */
final class ProcessTransport implements McpClientTransport {

    /** Longest message accepted from a server, in characters; a longer one ends the connection. */
    static final int MAX_MESSAGE_CHARS = 16 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTransport.class);

    private final Process process;
    private final McpJsonMapper json;
    private final String name;
    private final OutputStream stdin;
    private volatile boolean closing;

    ProcessTransport(Process process, McpJsonMapper json, String name) {
        this.process = process;
        this.json = json;
        this.name = name;
        this.stdin = process.getOutputStream();
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        return Mono.fromRunnable(() -> {
            Thread reader = new Thread(() -> read(handler), "mcp-stdout-" + name);
            reader.setDaemon(true);
            reader.start();
        });
    }

    private void read(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = readLine(out); line != null; line = readLine(out)) {
                if (line.isBlank()) {
                    continue;
                }
                JSONRPCMessage message;
                try {
                    message = McpSchema.deserializeJsonRpcMessage(json, line);
                } catch (IOException | IllegalArgumentException e) {
                    LOG.debug("{}: not an MCP message on stdout, skipped: {}", name, e.toString());
                    continue;
                }
                handler.apply(Mono.just(message)).subscribe(null,
                        error -> LOG.debug("{}: handling a message failed: {}", name, error.toString()));
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.debug("{}: reading stdout ended: {}", name, e.toString());
            }
        }
    }

    /** One line, or null at the end; a line longer than {@link #MAX_MESSAGE_CHARS} is an error. */
    private static String readLine(BufferedReader reader) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = reader.read(); c != -1; c = reader.read()) {
            if (c == '\n') {
                return line.toString();
            }
            if (line.length() >= MAX_MESSAGE_CHARS) {
                throw new IOException("a message is longer than " + MAX_MESSAGE_CHARS + " characters");
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        return Mono.fromRunnable(() -> {
            try {
                // A message is one line: the JSON writer escapes newlines inside strings.
                byte[] bytes = (json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
                synchronized (stdin) {
                    stdin.write(bytes);
                    stdin.flush();
                }
            } catch (IOException e) {
                throw new IllegalStateException(name + ": the server's stdin is closed (" + e.getMessage() + ")", e);
            }
        });
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            closing = true;
            try {
                stdin.close();
            } catch (IOException e) {
                LOG.debug("{}: closing stdin failed: {}", name, e.toString());
            }
        });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
        return json.convertValue(data, type);
    }
}
