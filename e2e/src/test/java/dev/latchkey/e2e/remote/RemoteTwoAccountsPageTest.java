package dev.latchkey.e2e.remote;

import static dev.latchkey.e2e.remote.RemoteWorld.OTHER_PASSWORD;
import static dev.latchkey.e2e.remote.RemoteWorld.OTHER_USER;
import static dev.latchkey.e2e.remote.RemoteWorld.PASSWORD;
import static dev.latchkey.e2e.remote.RemoteWorld.USER;
import static dev.latchkey.e2e.remote.RemoteWorld.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.InstallWait;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * One remote MCP server added twice on the page and signed in as two accounts of its
 * authorization server: both run side by side, each row names its account (read from the JWT the
 * server's authorization server issued), and through the gateway each install's calls carry its
 * own account's token. The client Latchkey registered there serves both.
 */
class RemoteTwoAccountsPageTest extends WithRemoteWorld {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void two_accounts_of_one_remote_server_run_side_by_side_each_with_its_own_token() throws Exception {
        world.addByUrl("Wonderland");
        world.signInAndConsent(USER, PASSWORD);
        String alice = world.runningRow().getDomAttribute("data-install-id");
        world.forgetSignInAtAuthServer();
        world.addByUrl("Wonderland two");
        world.signInAndConsent(OTHER_USER, OTHER_PASSWORD);
        String bob = InstallWait.until(() -> world.api.install(added(alice)), "running").path("id").asText();

        assertThat(world.api.install(alice).path("accountLabel").asText()).isEqualTo(USER);
        assertThat(world.api.install(bob).path("accountLabel").asText()).isEqualTo(OTHER_USER);
        world.wait.until(ExpectedConditions.textToBePresentInElementLocated(meta(alice), "connected as " + USER));
        world.wait.until(ExpectedConditions.textToBePresentInElementLocated(meta(bob), "connected as " + OTHER_USER));
        assertThat(world.authServer.named("registration_create.success")).as("registrations").hasSize(1);

        McpSyncClient gateway = world.gateway();
        try {
            List<String> whoamis = gateway.listTools().tools().stream().map(McpSchema.Tool::name)
                    .filter(name -> name.endsWith("__whoami")).toList();
            assertThat(whoamis).hasSize(2);
            Set<String> answers = whoamis.stream().map(tool -> call(gateway, tool, Map.of())).collect(Collectors.toSet());
            assertThat(answers).containsExactlyInAnyOrder(USER, OTHER_USER);
        } finally {
            gateway.closeGracefully();
        }
    }

    /** The id of the install that is not {@code first}. */
    private String added(String first) {
        JsonNode listed;
        try {
            listed = JSON.readTree(world.api.get("/api/installs").body()).get("installs");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (JsonNode install : listed) {
            if (!install.path("id").asText().equals(first)) {
                return install.path("id").asText();
            }
        }
        throw new AssertionError("the second install is not listed");
    }

    private static By meta(String installId) {
        return By.cssSelector("[data-install-id='" + installId + "'] p.install__meta:not([data-testid])");
    }
}
