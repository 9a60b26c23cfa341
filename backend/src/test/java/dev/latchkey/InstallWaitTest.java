package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstallWaitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void waits_through_the_statuses_on_the_way_for_as_long_as_the_app_says_it_is_on_its_way() {
        Iterator<JsonNode> answers = answers("connected", "installing", "installing", "starting", "running");

        assertThat(InstallWait.until(answers::next, "running").path("status").asText()).isEqualTo("running");
        assertThat(answers.hasNext()).isFalse();
    }

    @Test
    void an_install_that_settles_on_another_status_fails_the_wait_at_once_with_what_the_app_said() {
        Iterator<JsonNode> answers = answers("installing", "failed", "running");

        assertThatThrownBy(() -> InstallWait.until(answers::next, "running"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("install settled on failed: said failed instead of running; it went "
                        + "[installing: said installing, failed: said failed]");
        assertThat(answers.next().path("status").asText()).as("the answer after the failure, never read").isEqualTo("running");
    }

    @Test
    void a_status_named_as_passing_is_waited_through() {
        Iterator<JsonNode> answers = answers("running", "stopped");

        assertThat(InstallWait.until(answers::next, "stopped", "running").path("status").asText()).isEqualTo("stopped");
    }

    private static Iterator<JsonNode> answers(String... statuses) {
        return List.of(statuses).stream()
                .map(status -> (JsonNode) JSON.createObjectNode().put("status", status).put("statusReason", "said " + status))
                .toList().iterator();
    }
}
