package dev.latchkey.e2e.remote;

import static dev.latchkey.e2e.remote.RemoteWorld.USER;
import static dev.latchkey.e2e.remote.RemoteWorld.call;
import static dev.latchkey.ui.HeadlessChromium.testId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.InstallWait;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The user ends Latchkey's grant at the remote server's authorization server: the app's next
 * refresh round is refused there ({@code invalid_grant}), the install asks for a sign-in on the
 * page and leaves the gateway, and Reconnect on the page signs in again, with the client Latchkey
 * registered there the first time, to a new grant the calls then go on with.
 */
class RemoteReconnectPageTest extends WithRemoteWorld {

    @Test
    void a_grant_ended_at_the_authorization_server_asks_for_reconnect_and_reconnect_signs_in_to_a_new_grant() throws Exception {
        world.addByUrl("Wonderland");
        world.signInAndConsent();
        String id = world.runningRow().getDomAttribute("data-install-id");
        String grantId = world.authServer.named("access_token.issued").get(0).path("grantId").asText();

        world.deleteGrant(grantId);
        JsonNode refused = world.await("grant.error", e -> true, RemoteWorld.REFRESH_ROUND);
        assertThat(refused.path("error").asText()).isEqualTo("invalid_grant");
        JsonNode install = InstallWait.until(() -> world.api.install(id), "needs_reauth", "running");
        assertThat(install.path("statusReason").asText()).contains("invalid_grant", "Press Reconnect");
        world.wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=install-row] [data-testid=status]"),
                "Needs sign-in again"));
        McpSyncClient gateway = world.gateway();
        try {
            assertThat(gateway.listTools().tools()).extracting(McpSchema.Tool::name).noneMatch(name -> name.startsWith("wonderland__"));
        } finally {
            gateway.closeGracefully();
        }

        WebElement reconnect = world.driver.findElement(By.cssSelector("[data-testid=install-row] [data-testid=reconnect]"));
        assertThat(reconnect.getText()).isEqualTo("Reconnect");
        reconnect.click();
        world.signInAndConsent();
        world.runningRow();

        assertThat(world.authServer.named("registration_create.success")).as("registrations at the authorization server")
                .hasSize(1);
        assertThat(world.authServer.named("login.success")).as("sign-ins (its session lasts: consent only)").hasSize(1);
        assertThat(world.authServer.named("consent.given")).hasSize(2);
        assertThat(world.authServer.named("authorization.success")).hasSize(2)
                .allSatisfy(e -> assertThat(e.path("resource").asText()).isEqualTo(world.mcpUrl));
        gateway = world.gateway();
        try {
            assertThat(call(gateway, "wonderland__whoami", Map.of())).isEqualTo(USER);
        } finally {
            gateway.closeGracefully();
        }
        String callGrant = world.authServer.named("access_token.issued").stream()
                .filter(e -> e.path("jti").asText().equals(world.lastCallJti())).findFirst().orElseThrow()
                .path("grantId").asText();
        assertThat(callGrant).as("the grant of the token the call carried").isNotEqualTo(grantId);
        assertThat(world.driver.findElement(testId("install-row")).findElement(testId("status-reason")).getText())
                .contains("whoami");
    }
}
