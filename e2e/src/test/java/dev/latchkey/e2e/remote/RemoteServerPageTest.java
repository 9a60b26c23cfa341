package dev.latchkey.e2e.remote;

import static dev.latchkey.ui.HeadlessChromium.testId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.AppConfig;
import dev.latchkey.Backend;
import dev.latchkey.InstallWait;
import dev.latchkey.api.ApiClient;
import dev.latchkey.ui.HeadlessChromium;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A remote MCP server, end to end, on real parts only (issue 19, item 6): a real authorization
 * server (npm oidc-provider: dynamic registration, resource indicators giving JWT access tokens
 * whose {@code aud} is the MCP server, refresh tokens, revocation, PKCE S256) and a real MCP
 * server on the TypeScript SDK that takes only such tokens. A person adds the server by URL on
 * the Connectors page (headless Chromium), signs in and consents at the authorization server in
 * the tab the page opens, and sees it running with its tools; a client calls them through the
 * gateway's {@code /mcp}; the app's own refresh schedule refreshes the token at the authorization
 * server and the calls go on with the new one; Uninstall on the page revokes the grant there. The
 * tokens never show in the page, the API or the log.
 */
class RemoteServerPageTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "wonderland";
    /** Under the app's refresh margin (5 minutes), so each round of its refresher (every 30 s) refreshes it. */
    private static final int ACCESS_TOKEN_SECONDS = 120;
    private static final Duration REFRESH_ROUND = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;
    @TempDir
    Path profileDir;
    private final ObjectMapper json = new ObjectMapper();
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private String issuer;
    private String mcpUrl;
    private NodeFixture authServer;
    private NodeFixture mcpServer;
    private Backend backend;
    private ApiClient api;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        int asPort = NodeFixture.freePort();
        int mcpPort = NodeFixture.freePort();
        issuer = "http://127.0.0.1:" + asPort;
        mcpUrl = "http://127.0.0.1:" + mcpPort + "/mcp";
        authServer = NodeFixture.start("auth-server.mjs", Map.of("PORT", Integer.toString(asPort), "RESOURCE", mcpUrl,
                "ACCESS_TOKEN_TTL", Integer.toString(ACCESS_TOKEN_SECONDS), "USER_NAME", USER, "USER_PASSWORD", PASSWORD));
        mcpServer = NodeFixture.start("mcp-server.mjs", Map.of("PORT", Integer.toString(mcpPort), "ISSUER", issuer));
        // No OAuth proxy: a remote server signs in at its own authorization server (the proxy's port answers nothing).
        backend = Backend.start(new AppConfig(dataDir, 0, URI.create("http://127.0.0.1:" + NodeFixture.freePort()),
                AppConfig.DEFAULT_REFRESH_MARGIN));
        api = new ApiClient(backend.port(), backend.secret());
        driver = HeadlessChromium.start(profileDir);
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (backend != null) {
            backend.close();
        }
        for (NodeFixture fixture : new NodeFixture[] {mcpServer, authServer}) {
            if (fixture != null) {
                fixture.close();
            }
        }
        System.setErr(originalErr);
    }

    @Test
    void added_by_url_signed_in_at_its_authorization_server_called_through_the_gateway_refreshed_and_revoked() throws Exception {
        String connectors = addByUrl("Wonderland");
        signInAndConsent(connectors);
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("install-row")));
        String id = row.getDomAttribute("data-install-id");
        InstallWait.until(() -> api.install(id), "running"); // on the app's word: a refusal fails at once, with its reason
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=install-row] [data-testid=status]"), "Running"));
        assertThat(row.findElement(testId("status-reason")).getText()).contains("add", "whoami");

        // At the authorization server: Latchkey registered itself as a native public client with its
        // loopback callback, asked with PKCE S256 for the MCP server as the resource, and got a code grant.
        JsonNode registered = authServer.await("EVENT", e -> e.path("event").asText().equals("registration_create.success"),
                Duration.ofSeconds(5), "registration");
        assertThat(registered.path("authMethod").asText()).isEqualTo("none");
        assertThat(registered.path("applicationType").asText()).isEqualTo("native");
        assertThat(registered.path("redirectUris").toString()).isEqualTo("[\"http://127.0.0.1:" + backend.port() + "/oauth/callback\"]");
        assertThat(authServer.named("authorization.success")).singleElement().satisfies(e -> {
            assertThat(e.path("resource").asText()).isEqualTo(mcpUrl);
            assertThat(e.path("codeChallengeMethod").asText()).isEqualTo("S256");
            assertThat(e.path("clientId").asText()).isEqualTo(registered.path("clientId").asText());
        });
        // (The refresher may already have refreshed: its rounds run every 30 s.)
        assertThat(authServer.named("grant.success")).filteredOn(e -> e.path("grantType").asText().equals("authorization_code"))
                .singleElement().satisfies(e -> assertThat(e.path("resource").asText()).isEqualTo(mcpUrl));
        String firstToken = VaultRead.credential(dataDir, id, "accessToken");
        JsonNode firstClaims = claims(firstToken);
        assertThat(firstClaims.path("aud").asText()).isEqualTo(mcpUrl);
        assertThat(firstClaims.path("sub").asText()).isEqualTo(USER);
        assertThat(firstClaims.path("iss").asText()).isEqualTo(issuer);

        List<String> tokens = new ArrayList<>(List.of(firstToken, VaultRead.credential(dataDir, id, "refreshToken")));
        McpSyncClient gateway = gateway();
        try {
            assertThat(gateway.listTools().tools()).extracting(McpSchema.Tool::name)
                    .contains("wonderland__whoami", "wonderland__add");
            assertThat(text(gateway.callTool(new McpSchema.CallToolRequest("wonderland__whoami", Map.of())))).isEqualTo(USER);
            assertThat(text(gateway.callTool(new McpSchema.CallToolRequest("wonderland__add", Map.of("a", 2, "b", 3)))))
                    .isEqualTo("5");
            assertThat(mcpServer.events("CALL")).extracting(c -> c.path("jti").asText())
                    .isSubsetOf(authServer.named("access_token.issued").stream().map(e -> e.path("jti").asText()).toList());

            // The app's refresher, on its own schedule, refreshes at the authorization server (the
            // refresh token rotated), and the next calls carry an access token that refresh issued.
            authServer.await("EVENT", e -> e.path("event").asText().equals("grant.success")
                    && e.path("grantType").asText().equals("refresh_token"), REFRESH_ROUND, "refresh by the app");
            assertThat(authServer.named("grant.success")).filteredOn(e -> e.path("grantType").asText().equals("refresh_token"))
                    .allSatisfy(e -> assertThat(e.path("resource").asText()).isEqualTo(mcpUrl));
            assertThat(authServer.named("refresh_token.consumed")).isNotEmpty();
            callUntilRefreshedTokenUsed(gateway);
            String refreshed = VaultRead.credential(dataDir, id, "accessToken");
            assertThat(claims(refreshed).path("jti").asText()).as("the vault holds a token a refresh issued")
                    .isIn(refreshIssuedJtis());
            tokens.add(refreshed);
            tokens.add(VaultRead.credential(dataDir, id, "refreshToken"));
        } finally {
            gateway.closeGracefully();
        }
        assertNowhereToBeSeen(id, tokens);

        // Uninstall on the page: the grant is revoked at the authorization server.
        String grantId = authServer.named("access_token.issued").get(0).path("grantId").asText();
        driver.findElement(testId("uninstall")).click();
        driver.findElement(testId("uninstall-confirm")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(testId("install-row"), 0));
        authServer.await("EVENT", e -> e.path("event").asText().equals("grant.revoked") && e.path("grantId").asText().equals(grantId),
                Duration.ofSeconds(20), "revocation of grant " + grantId);
        assertThat(authServer.named("refresh_token.destroyed")).isNotEmpty();
        assertThat(authServer.named("grant.error")).as("refused grants").isEmpty();

        backend.close();
        backend = null;
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the log saw the refresh").contains("refreshed the remote-mcp tokens of install " + id);
        assertThat(logged.lines().filter(line -> line.contains("WARN"))).as("warnings of the app").noneMatch(line ->
                line.contains("were not rewritten"));
        for (int i = 0; i < tokens.size(); i++) {
            assertThat(logged.contains(tokens.get(i))).as("the log holds token %d of %d", i + 1, tokens.size()).isFalse();
        }
    }

    /** Opens the Connectors page, adds the MCP server by URL; answers the page's window handle. */
    private String addByUrl(String name) {
        driver.get(backend.newLaunchUrl());
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("catalog-loading")));
        String connectors = driver.getWindowHandle();
        driver.findElement(testId("remote-add")).click();
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("remote-form")));
        form.findElement(testId("remote-url")).sendKeys(mcpUrl);
        form.findElement(testId("remote-name")).sendKeys(name);
        form.findElement(testId("submit")).click();
        return connectors;
    }

    /**
     * In the tab the page opened (the system browser's, as the app window hands it to xdg-open):
     * the authorization server's sign-in, then its consent page, then the app's callback page.
     */
    private void signInAndConsent(String connectors) {
        wait.until(ExpectedConditions.numberOfWindowsToBe(2));
        driver.switchTo().window(driver.getWindowHandles().stream().filter(h -> !h.equals(connectors)).findFirst().orElseThrow());
        assertThat(driver.getCurrentUrl()).startsWith(issuer + "/interaction/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("login"))).sendKeys(USER);
        driver.findElement(By.name("password")).sendKeys(PASSWORD);
        driver.findElement(By.id("sign-in")).click();
        WebElement allow = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("allow")));
        assertThat(driver.findElement(By.tagName("body")).getText()).contains("Latchkey asks for:", "mcp at " + mcpUrl);
        allow.click();
        wait.until(ExpectedConditions.textToBe(testId("callback-title"), "Connected"));
        driver.close();
        driver.switchTo().window(connectors);
    }

    /** Calls whoami until the MCP server saw an access token a refresh issued. */
    private void callUntilRefreshedTokenUsed(McpSyncClient gateway) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            assertThat(text(gateway.callTool(new McpSchema.CallToolRequest("wonderland__whoami", Map.of())))).isEqualTo(USER);
            List<JsonNode> calls = mcpServer.events("CALL");
            String jti = calls.get(calls.size() - 1).path("jti").asText();
            if (refreshIssuedJtis().contains(jti)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the calls still carry the token of the sign-in after a refresh; the server saw "
                        + calls + "\nthe authorization server printed:\n" + authServer.output());
            }
        }
    }

    private Set<String> refreshIssuedJtis() {
        return authServer.named("access_token.issued").stream().filter(e -> e.path("gty").asText().contains("refresh_token"))
                .map(e -> e.path("jti").asText()).collect(Collectors.toSet());
    }

    private void assertNowhereToBeSeen(String id, List<String> tokens) {
        List<String> answers = new ArrayList<>();
        for (String path : List.of("/api/installs", "/api/installs/" + id, "/api/installs/" + id + "/launch",
                "/api/installs/" + id + "/runtime", "/api/clients", "/api/oauth")) {
            answers.add(api.get(path).body());
        }
        answers.add(driver.getPageSource());
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            assertThat(answers.stream().filter(answer -> answer.contains(token)).count())
                    .as("answers of the API and the page holding token %d of %d", i + 1, tokens.size()).isZero();
        }
    }

    /** A client of the gateway with a token of its own, made through the API. */
    private McpSyncClient gateway() throws Exception {
        String token = json.readTree(api.post("/api/clients", "{\"name\":\"remote e2e\"}").body()).get("token").asText();
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + backend.port())
                        .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    private static String text(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as(String.valueOf(result.content())).isNotEqualTo(Boolean.TRUE);
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    /** The claims of a JWT, unverified (the MCP server verified it). */
    private JsonNode claims(String jwt) throws Exception {
        return json.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
