package dev.latchkey.remote;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link BearerAuth.Tokens} for a caller that signs in itself and keeps the grant in memory
 * ({@code latchkey remote-check}): a 401 signs in (again), a 403 {@code insufficient_scope} steps
 * up once with the scopes the server names added — and only when they add a scope not asked for
 * already, so a server that keeps answering 403 gets one more sign-in, not a loop.
 */
final class SignedInTokens implements BearerAuth.Tokens {

    private final URI server;
    private final RemoteAuthorizer authorizer;
    private final Optional<RemoteClient> given;
    private final Browser browser;
    private final AtomicReference<RemoteAuthorizer.Grant> grant = new AtomicReference<>();
    private volatile boolean steppedUp;

    SignedInTokens(URI server, RemoteAuthorizer authorizer, Optional<RemoteClient> given, Browser browser) {
        this.server = server;
        this.authorizer = authorizer;
        this.given = given;
        this.browser = browser;
    }

    @Override
    public Optional<String> current() {
        return Optional.ofNullable(grant.get()).map(g -> g.tokens().accessToken());
    }

    @Override
    public synchronized boolean unauthorized(Challenge challenge) {
        grant.set(authorizer.signIn(server, challenge, Optional.ofNullable(grant.get()), given, browser));
        return true;
    }

    @Override
    public synchronized boolean insufficientScope(Challenge challenge) {
        RemoteAuthorizer.Grant now = grant.get();
        if (now == null || steppedUp || !RemoteAuthorizer.widens(now, challenge)) {
            return false;
        }
        steppedUp = true;
        grant.set(authorizer.signIn(server, challenge, Optional.of(now), Optional.of(now.client()), browser));
        return true;
    }

    Optional<RemoteAuthorizer.Grant> grant() {
        return Optional.ofNullable(grant.get());
    }
}
