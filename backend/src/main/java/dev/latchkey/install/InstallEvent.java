package dev.latchkey.install;

/** Something that happened to an install, in the order it happened. */
public sealed interface InstallEvent {

    /** An install was created or changed; it carries the install as it is now. */
    record Changed(Install install) implements InstallEvent {
    }

    /** An install was removed. */
    record Removed(String id) implements InstallEvent {
    }

    /**
     * The credentials of an install were replaced (a first connection, a refresh, a reconnect, a
     * switch between OAuth and browser login): its launch spec changed, so a running server must
     * restart on the new one. Carries no credential, only why.
     */
    record CredentialsChanged(String id, Why why) implements InstallEvent {

        /** What replaced the credentials; also the audit log's event name. */
        public enum Why { CONNECTED, REFRESHED, RECONNECTED, SWITCHED }
    }
}
