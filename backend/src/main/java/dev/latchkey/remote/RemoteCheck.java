package dev.latchkey.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code latchkey remote-check [--call TOOL] [--client-id ID [--client-secret S]] [--client-metadata-url URL] URL}: connects to
 * a remote MCP server as the app would, signs in by MCP authorization when it asks (headlessly when
 * its authorization server approves at once, else by a printed link), lists its tools and, with
 * {@code --call}, calls one with no arguments; exits 0 when all of it worked, 1 with one sentence
 * when not, 2 on a wrong command line. Nothing is stored. The official conformance suite starts it
 * as its client ({@code conformance client --command …}); its pre-registered client comes in
 * {@code MCP_CONFORMANCE_CONTEXT} ({@code client_id}, {@code client_secret}).
 * {@code --client-metadata-url} (else {@code LATCHKEY_CLIENT_METADATA_URL}) is the Client ID
 * Metadata Document to offer, the app's own setting ({@link dev.latchkey.AppConfig#clientMetadataUrl}).
 */
public final class RemoteCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private RemoteCheck() {
    }

    public static void main(String[] args) {
        // The SDK logs each handshake at INFO; this command's output is its own lines.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        Optional<String> call = option(rest, "--call");
        Optional<String> clientId = option(rest, "--client-id");
        Optional<String> secret = option(rest, "--client-secret");
        Optional<String> metadataUrl = option(rest, "--client-metadata-url")
                .or(() -> Optional.ofNullable(env.get(dev.latchkey.AppConfig.CLIENT_METADATA_URL_ENV)).filter(v -> !v.isBlank()));
        if (rest.size() != 1 || rest.get(0).startsWith("-")) {
            err.println("usage: latchkey remote-check [--call TOOL] [--client-id ID [--client-secret SECRET]]"
                    + " [--client-metadata-url URL] URL");
            return 2;
        }
        Optional<URI> document;
        try {
            document = metadataUrl.map(URI::create).map(dev.latchkey.AppConfig::requireClientMetadataUrl);
        } catch (IllegalArgumentException e) {
            err.println("remote-check: " + e.getMessage());
            return 2;
        }
        URI server;
        try {
            server = Origins.require(new URI(rest.get(0)), "the server URL");
        } catch (java.net.URISyntaxException | RemoteAuthException e) {
            err.println("remote-check: " + rest.get(0) + " is not an https URL (plain http is allowed on 127.0.0.1 only)");
            return 2;
        }
        Optional<RemoteClient> given = clientId.map(id -> new RemoteClient(id, secret.orElse(null), null))
                .or(() -> conformanceClient(env.get("MCP_CONFORMANCE_CONTEXT")));
        AuthHttp http = new AuthHttp(TIMEOUT);
        RemoteAuthorizer authorizer = new RemoteAuthorizer(new Discovery(http),
                new Registrar(http, ProxyClients.NONE, RegisteredClients.inMemory(), document), new TokenClient(http));
        try (LoopbackCallback callback = new LoopbackCallback()) {
            SignedInTokens tokens = new SignedInTokens(server, authorizer, given, new HeadlessBrowser(callback, TIMEOUT, err));
            McpSyncClient client = new RemoteConnector().connect(server, new BearerAuth(server, tokens), TIMEOUT, s -> s);
            try {
                McpSchema.ListToolsResult tools = client.listTools();
                out.println(tools.tools().size() + " tools: "
                        + String.join(", ", tools.tools().stream().map(McpSchema.Tool::name).toList()));
                if (call.isPresent()) {
                    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(call.get(), Map.of()));
                    out.println(call.get() + ": " + (Boolean.TRUE.equals(result.isError()) ? "error" : "ok"));
                }
            } finally {
                client.closeGracefully();
            }
            tokens.grant().ifPresent(g -> out.println("signed in at " + g.target().authServer().issuer() + " as client "
                    + g.client().clientId() + g.scope().map(s -> ", scope " + s).orElse("")));
            return 0;
        } catch (Exception e) {
            err.println("remote-check: " + RemoteFailure.sentence(e));
            return 1;
        }
    }

    private static Optional<String> option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0 || at + 1 >= args.size()) {
            return Optional.empty();
        }
        String value = args.get(at + 1);
        args.remove(at + 1);
        args.remove(at);
        return Optional.of(value);
    }

    private static Optional<RemoteClient> conformanceClient(String context) {
        if (context == null || context.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode json = AuthHttp.json().readTree(context);
            String id = json.path("client_id").asText("");
            String secret = json.path("client_secret").textValue();
            return id.isEmpty() ? Optional.empty() : Optional.of(new RemoteClient(id, secret, null));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
