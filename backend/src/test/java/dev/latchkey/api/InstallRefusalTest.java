package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Install requests the API refuses, each with its error code and the field it names; nothing is stored. */
class InstallRefusalTest extends InstallApiFixture {

    @Test
    void a_missing_required_setting_is_refused_by_field_and_nothing_is_stored() throws Exception {
        HttpResponse<String> response = client.post("/api/installs",
                "{\"catalogName\":\"test__notes\",\"userConfig\":{},\"auth\":\"none\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(response.body());
        assertThat(error.get("error").asText()).isEqualTo("invalid_user_config");
        assertThat(error.get("field").asText()).isEqualTo("folder");
        assertThat(client.get("/api/installs").body()).isEqualTo("{\"installs\":[]}");
    }

    @Test
    void a_number_out_of_range_is_refused_by_field() throws Exception {
        HttpResponse<String> response = client.post("/api/installs",
                "{\"catalogName\":\"test__notes\",\"userConfig\":{\"folder\":\"/a\",\"limit\":99},\"auth\":\"none\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("field").asText()).isEqualTo("limit");
    }

    @Test
    void a_number_too_large_for_any_setting_is_refused_by_field_and_nothing_is_stored() throws Exception {
        HttpResponse<String> response = client.post("/api/installs",
                "{\"catalogName\":\"test__notes\",\"userConfig\":{\"folder\":\"/a\",\"limit\":1e30},\"auth\":\"none\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error\":\"invalid_user_config\",\"message\":\"limit: must be at most 10, "
                + "got 1E+30\",\"field\":\"limit\"}");
        assertThat(client.get("/api/installs").body()).isEqualTo("{\"installs\":[]}");
    }

    @Test
    void an_unknown_catalog_server_is_refused() throws Exception {
        HttpResponse<String> response = client.post("/api/installs",
                "{\"catalogName\":\"nobody__here\",\"userConfig\":{},\"auth\":\"none\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"unknown_catalog_server\","
                + "\"message\":\"no catalog server is named \\\"nobody__here\\\"\",\"field\":\"catalogName\"}");
    }

    @Test
    void an_auth_method_the_server_does_not_offer_is_refused() throws Exception {
        HttpResponse<String> response = client.post("/api/installs",
                "{\"catalogName\":\"test__notes\",\"userConfig\":{\"folder\":\"/a\"},\"auth\":\"oauth\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("error").asText()).isEqualTo("unsupported_auth");
    }

    @Test
    void an_oauth_install_without_a_reachable_proxy_says_how_to_get_one_and_stores_nothing() throws Exception {
        HttpResponse<String> response = client.post("/api/installs",
                "{\"catalogName\":\"test__chat\",\"userConfig\":{},\"auth\":\"oauth\"}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"error\":\"proxy_unavailable\","
                + "\"message\":\"the OAuth proxy at " + NO_PROXY + " refused the connection (is it running?). "
                + "Start one with `./latchkey proxy` (or proxy and app together with `./latchkey dev`), "
                + "or point Latchkey at yours with --proxy-url URL\"}");
        assertThat(client.get("/api/installs").body()).isEqualTo("{\"installs\":[]}");
    }

    @Test
    void an_unknown_auth_word_is_a_bad_request() throws Exception {
        HttpResponse<String> response = client.post("/api/installs",
                "{\"catalogName\":\"test__notes\",\"userConfig\":{\"folder\":\"/a\"},\"auth\":\"magic\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error\":\"bad_request\","
                + "\"message\":\"auth: expected \\\"none\\\", \\\"oauth\\\" or \\\"browser\\\", got \\\"magic\\\"\"}");
    }

    @Test
    void a_body_that_is_not_json_is_a_bad_request() throws Exception {
        HttpResponse<String> response = client.post("/api/installs", "{not json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("error").asText()).isEqualTo("bad_request");
    }

    @Test
    void a_json_syntax_error_is_named_by_position_only() throws Exception {
        HttpResponse<String> response = client.post("/api/installs", "{bad xoxb-1234-secret");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error\":\"bad_request\",\"message\":\"the body is not valid JSON (line 1, column 2)\"}");
    }

    @Test
    void a_value_of_the_wrong_type_is_named_by_field_and_never_repeated() throws Exception {
        HttpResponse<String> response = client.post("/api/installs",
                "{\"catalogName\":\"test__notes\",\"userConfig\":\"xoxb-1234-secret\",\"auth\":\"none\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error\":\"bad_request\",\"message\":\"userConfig: not the type expected\",\"field\":\"userConfig\"}");
    }

    @Test
    void an_unknown_field_is_refused_by_name() throws Exception {
        HttpResponse<String> response = client.post("/api/installs", "{\"catalogName\":\"test__notes\",\"token\":\"xoxb-1\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error\":\"bad_request\",\"message\":\"unknown field \\\"token\\\"\",\"field\":\"token\"}");
    }

    @Test
    void a_body_that_is_not_an_object_is_refused() throws Exception {
        HttpResponse<String> response = client.post("/api/installs", "[1, 2]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error\":\"bad_request\",\"message\":\"the body must be a JSON object\"}");
    }
}
