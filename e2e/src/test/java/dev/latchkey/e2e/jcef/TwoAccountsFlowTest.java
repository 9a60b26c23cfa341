package dev.latchkey.e2e.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.qa.LatchkeyApp;
import dev.latchkey.qa.LatchkeyExtension;
import dev.latchkey.qa.SystemBrowser;
import dev.latchkey.qa.pages.CallbackPage;
import dev.latchkey.qa.pages.ConnectorsPage;
import dev.latchkey.qa.pages.InstalledRow;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/**
 * One OAuth server installed twice from the page, signed in as two accounts in the system
 * browser: both rows run, each shows its own account, and through the gateway each server works
 * with its own account's token.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TwoAccountsFlowTest {

    @RegisterExtension
    static final OAuthSite oauth = new OAuthSite();
    @RegisterExtension
    static final SystemBrowser browser = new SystemBrowser();

    @RegisterExtension
    final LatchkeyExtension latchkey = oauth.app(browser);

    @Test
    void one_server_installed_for_two_accounts_runs_twice_side_by_side_each_as_its_own_account(
            WebDriver driver, LatchkeyApp app) throws Exception {
        ConnectorsPage page = ConnectorsPage.open(driver, app);
        InstalledRow alice = installAs(page, "alice");
        InstalledRow bob = installAs(page, "bob");

        alice = page.installed().row(alice.id()).awaitStatus("running").awaitTools();
        bob = page.installed().row(bob.id()).awaitStatus("running").awaitTools();
        assertThat(alice.meta()).contains("connected as alice@example.com").doesNotContain("bob");
        assertThat(bob.meta()).contains("connected as bob@example.com").doesNotContain("alice");
        assertThat(page.installed().count()).isEqualTo("2 servers");

        // Each works: its server was started with its own account's access token (a JWT naming the subject).
        String token = page.clients().addByHand("qa-two-accounts");
        try (McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(app.apiBase().toString())
                .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build()).requestTimeout(Duration.ofSeconds(30)).build()) {
            client.initialize();
            List<String> getEnv = client.listTools().tools().stream().map(McpSchema.Tool::name)
                    .filter(name -> name.endsWith("__get-env")).toList();
            assertThat(getEnv).hasSize(2);
            List<String> subjects = getEnv.stream().map(name -> subject(client.callTool(
                    new McpSchema.CallToolRequest(name, Map.of())))).toList();
            assertThat(subjects).containsExactlyInAnyOrder("alice", "bob");
        }
    }

    /** Installs {@value OAuthSite#SERVER} from its card and signs in as {@code user} in the system browser: its row. */
    private static InstalledRow installAs(ConnectorsPage page, String user) throws Exception {
        InstalledRow row = OAuthSite.installFromCard(page);
        CallbackPage done = OAuthSite.signIn(browser.awaitPage(), user);
        assertThat(done.message()).isEqualTo("E2E acme is connected as " + user + "@example.com. "
                + "You can close this tab and go back to Latchkey.");
        done.close();
        page.back();
        return row;
    }

    /** The {@code sub} of the {@code ACME_ACCESS_TOKEN} a get-env call shows. */
    private static String subject(McpSchema.CallToolResult result) {
        try {
            String text = ((McpSchema.TextContent) result.content().get(0)).text();
            String jwt = new ObjectMapper().readTree(text).path("ACME_ACCESS_TOKEN").asText();
            assertThat(jwt).as("the server's ACME_ACCESS_TOKEN").contains(".");
            byte[] claims = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
            return new ObjectMapper().readTree(new String(claims, StandardCharsets.UTF_8)).path("sub").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
