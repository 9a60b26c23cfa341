package dev.latchkey.login;

/**
 * The login port: "sign the user in to this provider, in a window the app controls, and give me
 * these values" (docs/architecture.md, "Browser login"). The backend calls it; module
 * {@code browser-auth} implements it twice (JCEF login windows, and Debian's Chromium driven by
 * Selenium/CDP for {@code --headless} and tests); {@code desktop} wires the one that fits.
 *
 * <p>Every implementation, per {@link LoginRequest}: opens one window on {@code loginUrl} with the
 * browser data of {@link LoginRequest#session()} only; cancels every navigation (typed, redirect,
 * link, script) to a host the settings do not allow and shows it in the window; refuses pop-ups or
 * loads them in place; always shows the current host; once {@code readyWhen} matches, reads every
 * {@code extract} value (scripts in an isolated world, never the page's; cookies from the cookie
 * store, HttpOnly included, on a domain within the allowed hosts) until each has its shape;
 * closes the window, leaving no browser data behind; and returns one {@link LoginOutcome}.
 * Values never reach a log.
 */
public interface BrowserLogin {

    /**
     * Runs one sign-in and blocks until it ends, the window closed; call it off any request thread.
     * Once {@code cancel} is asked, the window closes within a poll and the sign-in ends as
     * {@link LoginOutcome.Cancelled}. Callers cancel by the flag, never by interrupting the thread.
     */
    LoginOutcome signIn(LoginRequest request, LoginCancel cancel);

    /** Deletes what the browser kept for {@code session} (cookies, storage, cache); nothing when it kept nothing. */
    void forget(SessionKey session);
}
