package dev.latchkey.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.oauth.TokenRefresher.Outcome;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refresh whose answer is lost: the desktop hangs up while the proxy waits for a provider that
 * rotates refresh tokens (the strict one), so the token it sent is dead once the provider answers.
 * The proxy finishes the call and keeps the answer; the desktop's retry, with the same refresh
 * token, gets that answer instead of {@code invalid_grant}.
 */
class LostRefreshAnswerTest extends WithOAuthWorld {

    @BeforeEach
    void setUp() {
        world.strict.expiresIn = 60; // within the app's 5-minute margin: due at once
    }

    @Test
    void a_retry_after_a_hang_up_mid_refresh_gets_the_kept_answer_and_not_the_rotated_out_token() throws Exception {
        String id = world.connect("strict");
        String sent = world.credential(id, "refreshToken");
        world.strict.refreshDelayMillis = 1_500;

        // The desktop's first try: the refresh reaches the provider, then its connection closes.
        try (Socket desktop = refreshOverRawSocket(sent)) {
            awaitRefreshCalls(1);
        }
        List<Outcome> retried = world.backend.refresher().refreshDue().join();

        assertThat(retried).containsExactly(new Outcome.Refreshed(id));
        assertThat(world.strict.refreshCalls()).as("the provider saw one refresh").isEqualTo(1);
        String kept = world.credential(id, "refreshToken");
        assertThat(kept).startsWith("strict-rt-").isNotEqualTo(sent);
        assertThat(OAuthWorld.signedIn(world.install(id))).as("signed in: %s", world.install(id)).isTrue();

        // The kept answer's rotated token is the live one: the next refresh goes to the provider with it.
        world.strict.refreshDelayMillis = 0;
        assertThat(world.backend.refresher().refreshDue().join()).containsExactly(new Outcome.Refreshed(id));
        assertThat(world.strict.refreshCalls()).isEqualTo(2);
    }

    private Socket refreshOverRawSocket(String refreshToken) throws Exception {
        String form = "grant_type=refresh_token&provider=strict&refresh_token="
                + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8);
        Socket socket = new Socket("127.0.0.1", world.proxyPort);
        socket.getOutputStream().write(("POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n"
                + form).getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private void awaitRefreshCalls(int calls) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while (world.strict.refreshCalls() < calls && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(world.strict.refreshCalls()).as("refresh calls that reached the provider").isEqualTo(calls);
    }
}
