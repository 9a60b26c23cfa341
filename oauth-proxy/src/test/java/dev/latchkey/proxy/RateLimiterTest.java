package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-address limit, with a clock the test moves, its memory cap, and the address it counts. */
class RateLimiterTest {

    /** A clock the test sets. */
    private static final class TestClock extends Clock {
        long millis;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("the test clock has one zone");
        }
    }

    @Test
    void allows_the_limit_per_window_then_says_how_long_to_wait_and_starts_again_in_the_next_window() {
        TestClock clock = new TestClock();
        clock.millis = 10 * 60_000 + 45_500; // 45.5 s into a window
        RateLimiter limiter = new RateLimiter(2, clock);

        List<Long> answers = new ArrayList<>(List.of(limiter.admit("a"), limiter.admit("a"), limiter.admit("a"),
                limiter.admit("b")));
        clock.millis = 11 * 60_000; // the next window
        answers.add(limiter.admit("a"));

        assertThat(answers).containsExactly(0L, 0L, 15L, 0L, 0L);
    }

    @Test
    void remembers_at_most_the_cap_and_forgets_the_address_seen_least_recently() {
        TestClock clock = new TestClock();
        RateLimiter limiter = new RateLimiter(1, clock, 2);
        limiter.admit("hammering");
        limiter.admit("idle");
        assertThat(limiter.admit("hammering")).as("over the limit").isPositive();

        for (int i = 0; i < 1000; i++) {
            limiter.admit("flood-" + i);
            assertThat(limiter.admit("hammering")).as("still counted after %d new addresses", i + 1).isPositive();
        }

        assertThat(limiter.size()).isEqualTo(2);
        assertThat(limiter.admit("idle")).as("forgotten, so it starts a new count").isZero();
    }

    @Test
    void takes_the_address_the_trusted_hops_appended_never_the_first_one_the_client_wrote() {
        assertThat(ClientAddress.of("6.6.6.6, 203.0.113.7", 1, "10.0.0.2")).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.of("6.6.6.6, 203.0.113.7, 10.1.1.1", 2, "10.0.0.2")).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.of("203.0.113.7", 2, "10.0.0.2")).as("too few entries").isEqualTo("10.0.0.2");
        assertThat(ClientAddress.of(null, 1, "10.0.0.2")).isEqualTo("10.0.0.2");
    }

    @Test
    void a_client_cannot_pick_a_fresh_key_by_prepending_addresses_to_the_header() {
        try (RunningProxy proxy = RunningProxy.start(Map.of("CLIENT_IP_HEADER", "X-Forwarded-For",
                "TRUSTED_PROXY_HOPS", "1", "RATE_LIMIT_PER_MINUTE", "2"), Clock.fixed(Instant.parse("2026-01-01T00:00:10Z"),
                ZoneOffset.UTC))) {
            List<Integer> statuses = new ArrayList<>();
            for (String spoofed : List.of("1.1.1.1", "2.2.2.2", "3.3.3.3")) {
                statuses.add(proxy.send(java.net.http.HttpRequest.newBuilder(proxy.url("/oauth/providers"))
                        .header("X-Forwarded-For", spoofed + ", 203.0.113.7").build()).statusCode());
            }
            statuses.add(proxy.send(java.net.http.HttpRequest.newBuilder(proxy.url("/oauth/providers"))
                    .header("X-Forwarded-For", "203.0.113.8").build()).statusCode());

            assertThat(statuses).containsExactly(200, 200, 429, 200);
        }
    }
}
