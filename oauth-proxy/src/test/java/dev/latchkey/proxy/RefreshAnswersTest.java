package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Kept refresh answers, on a clock the test moves. */
class RefreshAnswersTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RefreshAnswers answers = new RefreshAnswers(now::get);
    private final AtomicInteger calls = new AtomicInteger();
    private final TokenGrant.Refresh grant = new TokenGrant.Refresh(new ProviderName("acme"), "rt-1");

    private CompletableFuture<TokenResponse> provider(CompletableFuture<TokenResponse> answer) {
        calls.incrementAndGet();
        return answer;
    }

    private static TokenResponse tokens(String accessToken) {
        return new TokenResponse(accessToken, "Bearer", 3600, "rt-2", null, Map.of());
    }

    private void advanceSeconds(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void a_client_that_hangs_up_leaves_the_call_running_and_its_retry_gets_the_answer() {
        CompletableFuture<TokenResponse> upstream = new CompletableFuture<>();
        answers.refresh(grant, () -> provider(upstream)).cancel(false);
        CompletableFuture<TokenResponse> retry = answers.refresh(grant, () -> provider(CompletableFuture.failedFuture(
                new IllegalStateException("the retry must not reach the provider"))));

        upstream.complete(tokens("at-1"));

        assertThat(upstream).isNotCancelled();
        assertThat(retry.join().accessToken()).isEqualTo("at-1");
        assertThat(calls).hasValue(1);
    }

    @Test
    void a_kept_answer_counts_its_expiry_down_by_its_age() {
        answers.refresh(grant, () -> provider(CompletableFuture.completedFuture(tokens("at-1")))).join();
        advanceSeconds(100);

        TokenResponse kept = answers.refresh(grant, () -> provider(CompletableFuture.completedFuture(tokens("at-2")))).join();

        assertThat(kept.accessToken()).isEqualTo("at-1");
        assertThat(kept.expiresIn()).isEqualTo(3500);
        assertThat(calls).hasValue(1);
    }

    @Test
    void an_answer_is_kept_five_minutes_and_then_the_provider_is_asked_again() {
        answers.refresh(grant, () -> provider(CompletableFuture.completedFuture(tokens("at-1")))).join();
        advanceSeconds(5 * 60 + 1);

        TokenResponse fresh = answers.refresh(grant, () -> provider(CompletableFuture.completedFuture(tokens("at-2")))).join();

        assertThat(fresh.accessToken()).isEqualTo("at-2");
        assertThat(calls).hasValue(2);
    }

    @Test
    void a_failed_refresh_is_not_kept() {
        CompletableFuture<TokenResponse> failed = answers.refresh(grant, () -> provider(CompletableFuture.failedFuture(
                new OAuthError(502, "server_error", "acme failed").failure())));
        assertThat(failed).isCompletedExceptionally();

        TokenResponse next = answers.refresh(grant, () -> provider(CompletableFuture.completedFuture(tokens("at-2")))).join();

        assertThat(next.accessToken()).isEqualTo("at-2");
        assertThat(calls).hasValue(2);
    }

    @Test
    void another_refresh_token_is_another_call() {
        answers.refresh(grant, () -> provider(CompletableFuture.completedFuture(tokens("at-1")))).join();

        TokenResponse other = answers.refresh(new TokenGrant.Refresh(new ProviderName("acme"), "rt-other"),
                () -> provider(CompletableFuture.completedFuture(tokens("at-3")))).join();

        assertThat(other.accessToken()).isEqualTo("at-3");
        assertThat(calls).hasValue(2);
    }

    @Test
    void a_kept_answer_is_found_when_the_store_is_full() {
        answers.refresh(grant, () -> provider(CompletableFuture.completedFuture(tokens("at-1")))).join();
        for (int i = 1; i < RefreshAnswers.MAX_KEPT; i++) {
            answers.refresh(new TokenGrant.Refresh(new ProviderName("acme"), "rt-fill-" + i),
                    () -> provider(CompletableFuture.completedFuture(tokens("at-fill")))).join();
        }

        TokenResponse retry = answers.refresh(grant, () -> provider(CompletableFuture.completedFuture(tokens("at-new")))).join();

        assertThat(retry.accessToken()).isEqualTo("at-1");
        assertThat(calls).hasValue(RefreshAnswers.MAX_KEPT);
    }
}
