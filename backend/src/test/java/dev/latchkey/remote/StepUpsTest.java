package dev.latchkey.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wait of a call refused for scope, at its ends: it gives up when no sign-in comes within its
 * limit (a short one here; the app's is two minutes), goes on when one does, and ends at once when
 * the install's connection closes. Nothing is left waiting afterwards.
 */
@Timeout(30)
class StepUpsTest {

    private static final Duration LIMIT = Duration.ofMillis(300);
    private final StepUps stepUps = new StepUps(LIMIT);

    @Test
    void a_call_with_no_sign_in_within_the_limit_gives_up_and_the_scope_stays_wanted_for_the_next_sign_in() {
        long started = System.nanoTime();

        boolean signedIn = stepUps.await("install-1", "files:write");

        assertThat(signedIn).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(LIMIT);
        assertThat(stepUps.waiting("install-1")).as("still waiting after giving up").isFalse();
        assertThat(stepUps.wanted("install-1")).contains("files:write");
        assertThat(stepUps.await("install-1", "files:write")).as("a later call waits anew").isFalse();
    }

    @Test
    void calls_waiting_together_go_on_with_one_sign_in_which_clears_what_was_wanted() throws Exception {
        StepUps patient = new StepUps(Duration.ofSeconds(20));
        CompletableFuture<Boolean> first = waitingCall(patient, "files:write");
        CompletableFuture<Boolean> second = waitingCall(patient, "mail:read");

        patient.signedIn("install-1");

        assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(patient.wanted("install-1")).isEmpty();
        assertThat(patient.waiting("install-1")).isFalse();
    }

    @Test
    void a_closed_connection_ends_the_wait_at_once() throws Exception {
        StepUps patient = new StepUps(Duration.ofSeconds(20));
        CompletableFuture<Boolean> call = waitingCall(patient, "files:write");

        patient.cancel("install-1");

        assertThat(call.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(patient.waiting("install-1")).isFalse();
    }

    @Test
    void a_sign_in_of_another_install_does_not_end_the_wait() {
        CompletableFuture<Boolean> call = waitingCall(stepUps, "files:write");

        stepUps.signedIn("install-2");

        assertThat(call.join()).isFalse();
    }

    /** A call of install-1 refused for {@code scope}, on a thread of its own, returned once it waits. */
    private static CompletableFuture<Boolean> waitingCall(StepUps stepUps, String scope) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread call = new Thread(() -> result.complete(stepUps.await("install-1", scope)), "call-" + scope);
        call.start();
        while (call.getState() != Thread.State.TIMED_WAITING && !result.isDone()) {
            Thread.onSpinWait();
        }
        return result;
    }
}
