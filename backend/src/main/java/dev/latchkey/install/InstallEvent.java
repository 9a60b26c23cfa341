package dev.latchkey.install;

/** Something that happened to an install, as the UI's event stream tells it. */
public sealed interface InstallEvent {

    /** An install was created or changed; it carries the install as it is now. */
    record Changed(Install install) implements InstallEvent {
    }

    /** An install was removed. */
    record Removed(String id) implements InstallEvent {
    }
}
