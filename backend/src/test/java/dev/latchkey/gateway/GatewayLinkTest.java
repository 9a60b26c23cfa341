package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failed requests the bridge may send again after it reconnects: only those the app never received. */
class GatewayLinkTest {

    @Test
    void a_refused_connection_an_unknown_session_or_a_refused_token_never_reached_the_app() {
        assertThat(GatewayLink.neverArrived(new CompletionException(new ConnectException("Connection refused")))).isTrue();
        assertThat(GatewayLink.neverArrived(new RuntimeException(new McpTransportSessionNotFoundException("s-1")))).isTrue();
        assertThat(GatewayLink.neverArrived(new RuntimeException("Sending message failed with HTTP 401"))).isTrue();
    }

    @Test
    void the_sdks_authorization_failure_is_a_refused_token_though_its_message_names_no_401() {
        RuntimeException refused = new RuntimeException("Client failed to initialize by explicit API call",
                new McpHttpClientTransportAuthorizationException("Authorization error when sending message", null, null));

        assertThat(GatewayLink.refusal(refused)).isTrue();
        assertThat(GatewayLink.neverArrived(refused)).isTrue();
        assertThat(GatewayLink.refusal(new CompletionException(new ConnectException("Connection refused")))).isFalse();
    }

    @Test
    void a_timeout_or_a_cut_answer_may_have_reached_the_app_and_is_never_sent_twice() {
        assertThat(GatewayLink.neverArrived(new RuntimeException(new HttpTimeoutException("request timed out")))).isFalse();
        assertThat(GatewayLink.neverArrived(new RuntimeException(new java.io.IOException("connection reset")))).isFalse();
    }
}
