package dev.latchkey.browser.jcef;

import dev.latchkey.browser.SessionFolders;
import dev.latchkey.login.BrowserLogin;
import dev.latchkey.login.LoginCancel;
import dev.latchkey.login.LoginOutcome;
import dev.latchkey.login.LoginRequest;
import dev.latchkey.login.SessionKey;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The login port with JCEF login windows, for the desktop app: each sign-in is a
 * {@link LoginWindow} of the app's one CEF ({@link CefRuntime}), in a request context of its
 * own, so no two sign-ins — two Slack workspaces, or Slack and LinkedIn — share cookies or
 * storage. The context lives in memory and ends with its window: what a sign-in yields is the
 * values it extracted, which the backend keeps in the vault.
 */
public final class JcefLogin implements BrowserLogin {

    private final Supplier<CefRuntime> cef;
    private final SessionFolders sessions;
    private final Clock clock;

    /**
     * @param cef the app's CEF, asked for when the first sign-in starts (CEF may still be starting
     *            while the backend is)
     */
    public JcefLogin(Supplier<CefRuntime> cef, SessionFolders sessions, Clock clock) {
        this.cef = cef;
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public LoginOutcome signIn(LoginRequest request, LoginCancel cancel) {
        CefRuntime runtime;
        try {
            runtime = cef.get();
        } catch (RuntimeException e) {
            return new LoginOutcome.Failed("the embedded browser is not running: " + e.getMessage());
        }
        return LoginWindow.run(runtime, request, clock, cancel);
    }

    /** JCEF sign-ins keep nothing on disk; a folder a Chromium sign-in may have left (a crash) is deleted. */
    @Override
    public void forget(SessionKey session) {
        sessions.delete(session);
    }
}
