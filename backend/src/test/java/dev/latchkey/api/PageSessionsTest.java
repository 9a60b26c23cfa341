package dev.latchkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PageSessionsTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2030-01-01T10:00:00Z"));
    private final PageSessions sessions = new PageSessions(clock);

    @Test
    void a_launch_code_opens_one_session() {
        String session = sessions.trade(code(sessions.launchUrl(4000))).orElseThrow();

        assertThat(sessions.isSession(session)).isTrue();
        assertThat(sessions.isSession(session + "x")).isFalse();
    }

    @Test
    void a_launch_code_works_only_once() {
        String code = code(sessions.launchUrl(4000));
        sessions.trade(code).orElseThrow();

        assertThat(sessions.trade(code)).isEmpty();
    }

    @Test
    void a_launch_code_works_until_two_minutes_have_passed() {
        String code = code(sessions.launchUrl(4000));
        clock.now = clock.now.plus(Duration.ofMinutes(2)).minusMillis(1);

        assertThat(sessions.trade(code)).isPresent();
    }

    @Test
    void an_expired_launch_code_is_refused() {
        String code = code(sessions.launchUrl(4000));
        clock.now = clock.now.plus(Duration.ofMinutes(2));

        assertThat(sessions.trade(code)).isEmpty();
    }

    @Test
    void the_launch_url_names_the_port_and_a_fresh_code_each_time() {
        String first = sessions.launchUrl(4000);
        String second = sessions.launchUrl(4000);

        assertThat(first).matches("http://127\\.0\\.0\\.1:4000/\\?code=[A-Za-z0-9_-]{43}");
        assertThat(second).isNotEqualTo(first);
    }

    private static String code(String launchUrl) {
        return launchUrl.substring(launchUrl.indexOf("?code=") + "?code=".length());
    }
}
