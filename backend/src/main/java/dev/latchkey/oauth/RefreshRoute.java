package dev.latchkey.oauth;

import dev.latchkey.install.Credentials;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where {@link TokenRefresher} refreshes a connection whose tokens the proxy did not issue: a
 * remote MCP server's, refreshed at its own authorization server. The refresher keeps the rest
 * (due times, one refresh at a time per install, the old refresh token kept when none comes back,
 * {@code invalid_grant} → {@code needs_reauth}); the route only asks.
 */
public interface RefreshRoute {

    /** The answer to a refresh with {@code refreshToken}, in the proxy's terms; never throws for the server's answer. */
    ProxyAnswer refresh(String installId, Credentials credentials, String refreshToken);

    /** Daemon threads named {@code name-N}. */
    static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
