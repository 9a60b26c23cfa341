package dev.latchkey.install;

/** What became of a {@link Transition}: applied, or refused with the install as it is now. */
public sealed interface StatusChange {

    /** The install as it is now. */
    Install install();

    /** The install is in the new status; the event stream and the audit log have it. */
    record Applied(Install install) implements StatusChange {
    }

    /**
     * Nothing changed: the install was in a status the change may not come from, or its credentials
     * were not those the change was tested against. {@code why} says which, in words.
     */
    record Refused(Install install, String why) implements StatusChange {
    }

    default boolean applied() {
        return this instanceof Applied;
    }
}
