package dev.latchkey.e2e.remote;

import static dev.latchkey.e2e.remote.RemoteWorld.USER;
import static dev.latchkey.e2e.remote.RemoteWorld.call;
import static dev.latchkey.e2e.remote.RemoteWorld.claims;
import static dev.latchkey.ui.HeadlessChromium.testId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A remote MCP server, end to end, on real parts only (issue 19, item 6): a real authorization
 * server (npm oidc-provider: dynamic registration, resource indicators giving JWT access tokens
 * whose {@code aud} is the MCP server, refresh tokens, revocation, PKCE S256) and a real MCP
 * server on the TypeScript SDK that takes only such tokens ({@link RemoteWorld}). A person adds
 * the server by URL on the Connectors page (headless Chromium), signs in and consents at the
 * authorization server in the tab the page opens, and sees it running with its tools; a client
 * calls them through the gateway's {@code /mcp}; the app's own refresh rounds refresh the token at
 * the authorization server and the calls go on with the new one; Uninstall on the page revokes the
 * grant there. The tokens never show in the page, the API, the log or the H2 file (as text).
 */
class RemoteServerPageTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path profileDir;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private RemoteWorld world;

    @BeforeEach
    void start() throws Exception {
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        world = new RemoteWorld(dataDir, profileDir, Map.of());
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
        System.setErr(originalErr);
    }

    @Test
    void added_by_url_signed_in_at_its_authorization_server_called_through_the_gateway_refreshed_and_revoked() throws Exception {
        world.addByUrl("Wonderland");
        world.signInAndConsent();
        WebElement row = world.runningRow();
        assertThat(row.findElement(testId("status-reason")).getText()).contains("add", "whoami");
        String id = row.getDomAttribute("data-install-id");
        assertSignedInAtTheAuthorizationServer(id);
        List<String> tokens = calledThroughTheGatewayAndRefreshed(id);
        assertNowhereToBeSeen(id, tokens);

        // Uninstall on the page: the grant is revoked at the authorization server.
        String grantId = world.authServer.named("access_token.issued").get(0).path("grantId").asText();
        world.driver.findElement(testId("uninstall")).click();
        world.driver.findElement(testId("uninstall-confirm")).click();
        world.wait.until(ExpectedConditions.numberOfElementsToBe(testId("install-row"), 0));
        world.await("grant.revoked", e -> e.path("grantId").asText().equals(grantId), Duration.ofSeconds(20));
        assertThat(world.authServer.named("refresh_token.destroyed")).isNotEmpty();
        assertThat(world.authServer.named("grant.error")).as("refused grants").isEmpty();

        world.stopApp();
        assertNoTokenInTheLogOrTheFile(id, tokens);
    }

    /**
     * Latchkey registered itself as a native public client with its loopback callback, asked with
     * PKCE S256 for the MCP server as the resource, and got a code grant: a JWT for that audience.
     */
    private void assertSignedInAtTheAuthorizationServer(String id) throws Exception {
        JsonNode registered = world.await("registration_create.success", e -> true, Duration.ofSeconds(5));
        assertThat(registered.path("authMethod").asText()).isEqualTo("none");
        assertThat(registered.path("applicationType").asText()).isEqualTo("native");
        assertThat(registered.path("redirectUris").toString())
                .isEqualTo("[\"http://127.0.0.1:" + world.backend.port() + "/oauth/callback\"]");
        assertThat(world.authServer.named("authorization.success")).singleElement().satisfies(e -> {
            assertThat(e.path("resource").asText()).isEqualTo(world.mcpUrl);
            assertThat(e.path("codeChallengeMethod").asText()).isEqualTo("S256");
            assertThat(e.path("clientId").asText()).isEqualTo(registered.path("clientId").asText());
        });
        // (The refresher may already have refreshed: its rounds run every 30 s.)
        assertThat(world.events("grant.success", e -> e.path("grantType").asText().equals("authorization_code")))
                .singleElement().satisfies(e -> assertThat(e.path("resource").asText()).isEqualTo(world.mcpUrl));
        JsonNode claims = claims(VaultRead.credential(dataDir, id, "accessToken"));
        assertThat(claims.path("aud").asText()).isEqualTo(world.mcpUrl);
        assertThat(claims.path("sub").asText()).isEqualTo(USER);
        assertThat(claims.path("iss").asText()).isEqualTo(world.issuer);
    }

    /**
     * The tools, listed and called through the gateway; then the app's refresher, on its own
     * rounds, refreshes at the authorization server (the refresh token rotated), and the next calls
     * carry an access token that refresh issued. Answers the tokens the vault held on the way.
     */
    private List<String> calledThroughTheGatewayAndRefreshed(String id) throws Exception {
        List<String> tokens = new ArrayList<>(List.of(VaultRead.credential(dataDir, id, "accessToken"),
                VaultRead.credential(dataDir, id, "refreshToken")));
        McpSyncClient gateway = world.gateway();
        try {
            assertThat(gateway.listTools().tools()).extracting(McpSchema.Tool::name)
                    .contains("wonderland__whoami", "wonderland__add");
            assertThat(call(gateway, "wonderland__whoami", Map.of())).isEqualTo(USER);
            assertThat(call(gateway, "wonderland__add", Map.of("a", 2, "b", 3))).isEqualTo("5");
            assertThat(world.mcpServer.events("CALL")).extracting(c -> c.path("jti").asText())
                    .isSubsetOf(world.issuedJtis(""));

            world.await("grant.success", e -> e.path("grantType").asText().equals("refresh_token"), RemoteWorld.REFRESH_ROUND);
            assertThat(world.events("grant.success", e -> e.path("grantType").asText().equals("refresh_token")))
                    .allSatisfy(e -> assertThat(e.path("resource").asText()).isEqualTo(world.mcpUrl));
            assertThat(world.authServer.named("refresh_token.consumed")).isNotEmpty();
            callUntilARefreshedTokenIsUsed(gateway);
            String refreshed = VaultRead.credential(dataDir, id, "accessToken");
            assertThat(claims(refreshed).path("jti").asText()).as("the vault holds a token a refresh issued")
                    .isIn(world.issuedJtis("refresh_token"));
            tokens.add(refreshed);
            tokens.add(VaultRead.credential(dataDir, id, "refreshToken"));
            return tokens;
        } finally {
            gateway.closeGracefully();
        }
    }

    /** Once the app stopped: its log (at DEBUG) and its H2 file hold none of the tokens as text, and no refresh warned. */
    private void assertNoTokenInTheLogOrTheFile(String id, List<String> tokens) throws Exception {
        String h2 = new String(java.nio.file.Files.readAllBytes(dataDir.resolve("latchkey.mv.db")), StandardCharsets.ISO_8859_1);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the log saw the refresh").contains("refreshed the remote-mcp tokens of install " + id);
        assertThat(logged.lines().filter(line -> line.contains("WARN"))).as("warnings of the app").noneMatch(line ->
                line.contains("were not rewritten"));
        for (int i = 0; i < tokens.size(); i++) {
            assertThat(logged.contains(tokens.get(i))).as("the log holds token %d of %d", i + 1, tokens.size()).isFalse();
            assertThat(h2.contains(tokens.get(i))).as("the H2 file holds token %d of %d as text", i + 1, tokens.size()).isFalse();
        }
    }

    /** Calls whoami until the MCP server saw an access token a refresh issued. */
    private void callUntilARefreshedTokenIsUsed(McpSyncClient gateway) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            assertThat(call(gateway, "wonderland__whoami", Map.of())).isEqualTo(USER);
            if (world.issuedJtis("refresh_token").contains(world.lastCallJti())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the calls still carry the token of the sign-in after a refresh; the server saw "
                        + world.mcpServer.events("CALL") + "\nthe authorization server printed:\n" + world.authServer.output());
            }
        }
    }

    private void assertNowhereToBeSeen(String id, List<String> tokens) {
        List<String> answers = new ArrayList<>();
        for (String path : List.of("/api/installs", "/api/installs/" + id, "/api/installs/" + id + "/launch",
                "/api/installs/" + id + "/runtime", "/api/clients", "/api/oauth")) {
            answers.add(world.api.get(path).body());
        }
        answers.add(world.driver.getPageSource());
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            assertThat(answers.stream().filter(answer -> answer.contains(token)).count())
                    .as("answers of the API and the page holding token %d of %d", i + 1, tokens.size()).isZero();
        }
    }
}
