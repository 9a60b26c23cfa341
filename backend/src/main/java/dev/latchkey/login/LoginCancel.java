package dev.latchkey.login;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sign-in's cancel switch: thrown once by Cancel or an uninstall, read by the login window's
 * poll, which then closes the window and ends as {@link LoginOutcome.Cancelled}. A flag, never a
 * thread interrupt: the thread that ran the window goes on to write the outcome to H2, and an
 * interrupted thread's {@code FileChannel} write closes the database under every connection.
 */
public final class LoginCancel {

    private final AtomicBoolean asked = new AtomicBoolean();

    /** Asks the window to close; it does within one poll. */
    public void cancel() {
        asked.set(true);
    }

    public boolean asked() {
        return asked.get();
    }
}
