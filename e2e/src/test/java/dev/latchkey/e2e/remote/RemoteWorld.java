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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a remote install meets, real and on 127.0.0.1: the authorization server and the MCP server
 * of {@code src/test/js/remote/} ({@link NodeFixture}), the app's backend on a fresh data directory
 * with no OAuth proxy (a remote server signs in at its own authorization server), and headless
 * Chromium on the Connectors page; with what a person does there and what a gateway client does.
 */
final class RemoteWorld implements AutoCloseable {

    static final String USER = "alice";
    static final String PASSWORD = "wonderland";
    /** The authorization server's second account. */
    static final String OTHER_USER = "bob";
    static final String OTHER_PASSWORD = "builder";
    /** Under the app's refresh margin (5 minutes), so each round of its refresher (every 30 s) refreshes it. */
    static final int ACCESS_TOKEN_SECONDS = 120;
    /** Longer than a round of the app's refresher (every 30 s) on a busy machine. */
    static final Duration REFRESH_ROUND = Duration.ofSeconds(90);

    private static final ObjectMapper JSON = new ObjectMapper();
    final String issuer;
    final String mcpUrl;
    final Path dataDir;
    NodeFixture authServer;
    NodeFixture mcpServer;
    Backend backend;
    ApiClient api;
    ChromeDriver driver;
    WebDriverWait wait;
    private String connectors;

    /** @param mcpEnv more of the MCP server's environment (e.g. the {@code AUDIENCE} it takes) */
    RemoteWorld(Path dataDir, Path profileDir, Map<String, String> mcpEnv) throws IOException {
        this.dataDir = dataDir;
        int asPort = NodeFixture.freePort();
        int mcpPort = NodeFixture.freePort();
        issuer = "http://127.0.0.1:" + asPort;
        mcpUrl = "http://127.0.0.1:" + mcpPort + "/mcp";
        Map<String, String> env = new java.util.HashMap<>(Map.of("PORT", Integer.toString(mcpPort), "ISSUER", issuer));
        env.putAll(mcpEnv);
        try {
            authServer = NodeFixture.start("auth-server.mjs", Map.of("PORT", Integer.toString(asPort), "RESOURCE", mcpUrl,
                    "ACCESS_TOKEN_TTL", Integer.toString(ACCESS_TOKEN_SECONDS), "USER_NAME", USER, "USER_PASSWORD", PASSWORD));
            mcpServer = NodeFixture.start("mcp-server.mjs", env);
            // The proxy's port answers nothing: nothing of a remote sign-in goes through it.
            backend = Backend.start(new AppConfig(dataDir, 0, URI.create("http://127.0.0.1:" + NodeFixture.freePort()),
                    AppConfig.DEFAULT_REFRESH_MARGIN));
            api = new ApiClient(backend.port(), backend.secret());
            driver = HeadlessChromium.start(profileDir);
            wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens the Connectors page and adds the MCP server by URL under {@code name}, as a person does. */
    void addByUrl(String name) {
        driver.get(backend.newLaunchUrl());
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("catalog-loading")));
        connectors = driver.getWindowHandle();
        driver.findElement(testId("remote-add")).click();
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("remote-form")));
        form.findElement(testId("remote-url")).sendKeys(mcpUrl);
        form.findElement(testId("remote-name")).sendKeys(name);
        form.findElement(testId("submit")).click();
    }

    /**
     * In the tab the page opened (the system browser's, as the app window hands it to xdg-open):
     * the authorization server's sign-in (skipped while its session from before lasts), its
     * consent page, then the app's callback page; back to the Connectors page.
     */
    void signInAndConsent() {
        signInAndConsent(USER, PASSWORD);
    }

    /** {@link #signInAndConsent()} as {@code user}. */
    void signInAndConsent(String user, String password) {
        wait.until(ExpectedConditions.numberOfWindowsToBe(2));
        driver.switchTo().window(driver.getWindowHandles().stream().filter(h -> !h.equals(connectors)).findFirst().orElseThrow());
        assertThat(driver.getCurrentUrl()).startsWith(issuer + "/interaction/");
        wait.until(ExpectedConditions.or(ExpectedConditions.visibilityOfElementLocated(By.name("login")),
                ExpectedConditions.visibilityOfElementLocated(By.id("allow"))));
        if (!driver.findElements(By.name("login")).isEmpty()) {
            driver.findElement(By.name("login")).sendKeys(user);
            driver.findElement(By.name("password")).sendKeys(password);
            driver.findElement(By.id("sign-in")).click();
        }
        WebElement allow = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("allow")));
        assertThat(driver.findElement(By.tagName("body")).getText()).contains("Latchkey asks for:", "mcp at " + mcpUrl);
        allow.click();
        wait.until(ExpectedConditions.textToBe(testId("callback-title"), "Connected"));
        driver.close();
        driver.switchTo().window(connectors);
    }

    /** Ends the authorization server's sign-in session in the browser, so the next sign-in there asks who you are. */
    void forgetSignInAtAuthServer() {
        driver.switchTo().window(connectors);
        driver.manage().getCookies().stream().filter(cookie -> cookie.getName().startsWith("_session"))
                .forEach(cookie -> driver.manage().deleteCookie(cookie));
    }

    /** The one install's row, once the app says it runs (a refusal fails at once, with its reason) and the page shows it. */
    WebElement runningRow() {
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(testId("install-row")));
        String id = row.getDomAttribute("data-install-id");
        InstallWait.until(() -> api.install(id), "running");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=install-row] [data-testid=status]"), "Running"));
        return row;
    }

    /** A client of the gateway with a token of its own, made through the API. */
    McpSyncClient gateway() throws IOException {
        String token = JSON.readTree(api.post("/api/clients", "{\"name\":\"remote e2e\"}").body()).get("token").asText();
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + backend.port())
                        .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    /** Calls {@code tool} through the gateway; answers its text. */
    static String call(McpSyncClient gateway, String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = gateway.callTool(new McpSchema.CallToolRequest(tool, arguments));
        assertThat(result.isError()).as(String.valueOf(result.content())).isNotEqualTo(Boolean.TRUE);
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    /** The authorization server's {@code name} events that match. */
    java.util.List<JsonNode> events(String name, Predicate<JsonNode> match) {
        return authServer.named(name).stream().filter(match).toList();
    }

    /** Waits for the authorization server's first {@code name} event that matches. */
    JsonNode await(String name, Predicate<JsonNode> match, Duration within) {
        return authServer.await("EVENT", e -> e.path("event").asText().equals(name) && match.test(e), within, name);
    }

    /** The jti of each access token the authorization server issued by a grant of {@code grantType}. */
    Set<String> issuedJtis(String grantType) {
        return authServer.named("access_token.issued").stream().filter(e -> e.path("gty").asText().endsWith(grantType))
                .map(e -> e.path("jti").asText()).collect(Collectors.toSet());
    }

    /** The jti of the token the MCP server saw on its last call. */
    String lastCallJti() {
        java.util.List<JsonNode> calls = mcpServer.events("CALL");
        assertThat(calls).as("calls the MCP server saw").isNotEmpty();
        return calls.get(calls.size() - 1).path("jti").asText();
    }

    /** Ends a grant at the authorization server, as its user would. */
    void deleteGrant(String grantId) throws IOException, InterruptedException {
        HttpResponse<Void> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(issuer + "/admin/grants/"
                + grantId)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(deleted.statusCode()).isEqualTo(204);
    }

    /** The claims of a JWT, unverified (the MCP server verified it). */
    static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    /** Stops the app (so its log and H2 file are complete); {@link #close} then leaves it. */
    void stopApp() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    @Override
    public void close() {
        if (driver != null) {
            driver.quit();
        }
        stopApp();
        for (NodeFixture fixture : new NodeFixture[] {mcpServer, authServer}) {
            if (fixture != null) {
                fixture.close();
            }
        }
    }
}
