package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AccountLabelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void names_the_account_of_a_jwt_access_token_by_its_most_readable_claim() {
        assertThat(AccountLabel.of(answer(jwt("{\"sub\":\"u-1\",\"email\":\"alice@example.com\"}"), null))).isEqualTo("alice@example.com");
        assertThat(AccountLabel.of(answer(jwt("{\"sub\":\"u-1\",\"preferred_username\":\"alice\"}"), null))).isEqualTo("alice");
        assertThat(AccountLabel.of(answer(jwt("{\"sub\":\"alice\",\"aud\":\"https://mcp.example/mcp\"}"), null))).isEqualTo("alice");
    }

    @Test
    void takes_the_id_token_first() {
        assertThat(AccountLabel.of(answer(jwt("{\"sub\":\"u-1\"}"), jwt("{\"email\":\"bob@example.com\"}")))).isEqualTo("bob@example.com");
    }

    @Test
    void an_opaque_or_broken_token_names_no_one() {
        assertThat(AccountLabel.of(answer("gho_16C7e42F292c6912E7710c838347Ae178B4a", null))).isNull();
        assertThat(AccountLabel.of(answer("a.b.c", null))).isNull();
        assertThat(AccountLabel.of(answer("x." + base64("not json") + ".y", null))).isNull();
        assertThat(AccountLabel.of(answer(jwt("{\"sub\":42}"), null))).isNull();
        assertThat(AccountLabel.of(JSON.createObjectNode())).isNull();
    }

    @Test
    void keeps_the_label_short_and_printable() {
        String label = AccountLabel.of(answer(jwt("{\"email\":\"eve\\u001b[31m@example.com" + "x".repeat(300) + "\"}"), null));
        assertThat(label).startsWith("eve[31m@example.com").hasSize(101).endsWith("…").doesNotContain("\u001b");
    }

    private static JsonNode answer(String accessToken, String idToken) {
        ObjectNode answer = JSON.createObjectNode().put("access_token", accessToken).put("token_type", "Bearer");
        return idToken == null ? answer : answer.put("id_token", idToken);
    }

    private static String jwt(String claims) {
        return base64("{\"alg\":\"RS256\"}") + "." + base64(claims) + ".c2lnbmF0dXJl";
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
