package dev.latchkey.remote;

import dev.latchkey.NpmTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code @modelcontextprotocol/server-everything} from npm-tools as a remote server: its
 * Streamable HTTP transport ({@code /mcp}) or its legacy HTTP+SSE one ({@code /sse}), on a free
 * loopback port, no sign-in. Started by the tests that need a remote server; closing kills it.
 */
public final class EverythingOverHttp implements AutoCloseable {

    private final Process process;
    private final int port;
    private final String path;

    private EverythingOverHttp(Process process, int port, String path) {
        this.process = process;
        this.port = port;
        this.path = path;
    }

    /** @param transport {@code streamableHttp} or {@code sse} */
    public static EverythingOverHttp start(String transport) throws IOException, InterruptedException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(List.of("node", NpmTools.everything().toString(), transport))
                .redirectErrorStream(true);
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        CompletableFuture<Boolean> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.contains(Integer.toString(port))) {
                        listening.complete(true);
                    }
                }
            } catch (IOException e) {
                listening.complete(false);
            }
            listening.complete(false);
        }, "everything-http-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!listening.get(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("server-everything " + transport + " exited before it listened");
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("server-everything " + transport + " did not listen on " + port + " within 60 s", e);
        }
        return new EverythingOverHttp(process, port, transport.equals("sse") ? "/sse" : "/mcp");
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
