package dev.latchkey.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.definition.InvalidDefinitionException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fills_placeholders_and_leaves_other_values_as_they_are() throws Exception {
        CredentialFile file = new CredentialFile(".creds/google.json", JSON.readTree(
                "{\"access_token\": \"${accessToken}\", \"auth\": \"Bearer ${accessToken}\", \"n\": 3, \"list\": [\"${refreshToken}\"]}"));

        JsonNode filled = file.fill(Map.of("accessToken", "ya29.a", "refreshToken", "1//r"));

        assertThat(JSON.writeValueAsString(filled))
                .isEqualTo("{\"access_token\":\"ya29.a\",\"auth\":\"Bearer ya29.a\",\"n\":3,\"list\":[\"1//r\"]}");
        assertThat(file.placeholders()).containsExactly("accessToken", "refreshToken");
    }

    @Test
    void fills_a_value_that_did_not_come_with_an_empty_string() throws Exception {
        CredentialFile file = new CredentialFile("c.json", JSON.readTree("{\"refresh_token\": \"${refreshToken}\"}"));

        assertThat(JSON.writeValueAsString(file.fill(Map.of()))).isEqualTo("{\"refresh_token\":\"\"}");
    }

    @Test
    void rejects_an_absolute_path() throws Exception {
        JsonNode template = JSON.readTree("{}");
        assertThatThrownBy(() -> new CredentialFile("/etc/passwd", template))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessage("path: must stay inside the server's directory (relative, no \"..\"), got \"/etc/passwd\"");
    }

    @Test
    void keeps_its_template_from_being_changed_from_outside() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode template = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree("{\"a\": \"1\"}");
        CredentialFile file = new CredentialFile("c.json", template);

        template.put("a", "2");
        ((com.fasterxml.jackson.databind.node.ObjectNode) file.template()).put("a", "3");

        assertThat(file.template().get("a").asText()).isEqualTo("1");
    }
}
