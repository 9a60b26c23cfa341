package dev.latchkey.oauth;

import dev.latchkey.install.Install;

/** What a callback came to; the browser tab shows it as a page, the Connectors page hears it as an event. */
public sealed interface CallbackOutcome {

    /** The tokens are stored. */
    record Connected(Install install, String accountLabel) implements CallbackOutcome {
    }

    /**
     * The sign-in did not complete, and nothing was stored.
     *
     * @param status  the HTTP status of the page in the browser
     * @param message what happened and what to do, for a person; never a secret
     */
    record Failed(int status, String title, String message) implements CallbackOutcome {
    }
}
