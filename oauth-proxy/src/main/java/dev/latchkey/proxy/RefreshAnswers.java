package dev.latchkey.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Refresh calls that finish even when the client hangs up, and their answers kept briefly, keyed
 * by a SHA-256 of provider, resource and refresh token: a desktop whose answer was lost (a timeout, a dropped
 * connection, the app quitting) retries with the same refresh token, which a provider that rotates
 * refresh tokens has already made dead, and gets the kept answer instead of {@code invalid_grant}.
 * A retry that comes while the call is still under way waits for that call. Only successful
 * answers are kept; at most {@link #MAX_KEPT}, each for {@link #KEEP_NANOS}, and a kept answer's
 * {@code expires_in} is counted down by its age, so a repeated refresh never lengthens a token's life.
 */
final class RefreshAnswers {

    static final long KEEP_NANOS = TimeUnit.MINUTES.toNanos(5);
    static final int MAX_KEPT = 10_000;
    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A call and, once it answered, when: a kept answer's {@code expires_in} counts down from there. */
    private static final class Kept {
        final CompletableFuture<TokenResponse> answer = new CompletableFuture<>();
        final long untilNanos;
        volatile long answeredNanos;

        Kept(long untilNanos) {
            this.untilNanos = untilNanos;
        }

        long untilNanos() {
            return untilNanos;
        }
    }

    private final Map<String, Kept> calls = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final AtomicLong lastSweepNanos;

    RefreshAnswers(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastSweepNanos = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * The answer to {@code grant}: the kept one, the one under way, or a new call from {@code call}.
     * The future returned is the caller's own: cancelling it (the client hung up) leaves the call
     * to the provider running.
     */
    CompletableFuture<TokenResponse> refresh(TokenGrant.Refresh grant, Supplier<CompletableFuture<TokenResponse>> call) {
        String key = key(grant);
        long now = nanoTime.getAsLong();
        sweep(now);
        Kept kept = new Kept(now + KEEP_NANOS);
        // A full store keeps no new call, but its kept answers are still found.
        Kept found = calls.size() < MAX_KEPT ? calls.putIfAbsent(key, kept) : calls.get(key);
        if (found != null) {
            return found.answer.thenApply(tokens -> aged(tokens, found));
        }
        CompletableFuture<TokenResponse> answer;
        try {
            answer = call.get();
        } catch (RuntimeException refused) {
            calls.remove(key, kept);
            throw refused;
        }
        answer.whenComplete((tokens, failure) -> {
            if (failure != null) {
                calls.remove(key, kept); // a failure is not kept: the next try goes to the provider again
                kept.answer.completeExceptionally(failure);
            } else {
                kept.answeredNanos = nanoTime.getAsLong();
                kept.answer.complete(tokens);
            }
        });
        return kept.answer.copy();
    }

    /** Drops the answers kept longer than {@link #KEEP_NANOS}: at most once a second, not on every refresh. */
    private void sweep(long now) {
        long last = lastSweepNanos.get();
        if (now - last >= SWEEP_NANOS && lastSweepNanos.compareAndSet(last, now)) {
            calls.values().removeIf(kept -> kept.untilNanos() - now < 0);
        }
    }

    /** The kept answer with {@code expires_in} less the seconds since the provider gave it. */
    private TokenResponse aged(TokenResponse tokens, Kept kept) {
        if (tokens.expiresIn() == null) {
            return tokens;
        }
        long age = TimeUnit.NANOSECONDS.toSeconds(Math.max(0, nanoTime.getAsLong() - kept.answeredNanos));
        return new TokenResponse(tokens.accessToken(), tokens.tokenType(), (int) Math.max(0, tokens.expiresIn() - age),
                tokens.refreshToken(), tokens.scope(), tokens.extras());
    }

    private static String key(TokenGrant.Refresh grant) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(grant.provider().toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            // A kept answer is a token for one resource (RFC 8707); a retry for another is another call.
            sha.update(String.valueOf(grant.resource()).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return Base64.getEncoder().encodeToString(sha.digest(grant.refreshToken().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
