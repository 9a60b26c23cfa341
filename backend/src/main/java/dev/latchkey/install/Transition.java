package dev.latchkey.install;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A status change asked for: the status to enter with its reason, the statuses it may come from
 * ({@link Lifecycle#from} unless narrowed), and, for a check of the stored connection, the
 * credentials that check tested: then it applies only while those are still the stored ones, so a
 * check that began before a new sign-in loses against it.
 */
public record Transition(InstallStatus to, String reason, Set<InstallStatus> from, Credentials tested) {

    public Transition {
        Objects.requireNonNull(to, "to");
        from = Set.copyOf(from);
        if (!Lifecycle.from(to).containsAll(from)) {
            throw new IllegalArgumentException("the lifecycle does not allow " + to.wireName() + " from all of " + from);
        }
    }

    /** To {@code to} from wherever the lifecycle allows. */
    public static Transition to(InstallStatus to, String reason) {
        return new Transition(to, reason, Lifecycle.from(to), null);
    }

    /** This change, allowed only from those of {@code statuses} the lifecycle allows it from. */
    public Transition onlyFrom(InstallStatus first, InstallStatus... more) {
        Set<InstallStatus> narrowed = EnumSet.of(first, more);
        narrowed.retainAll(from);
        return new Transition(to, reason, narrowed, tested);
    }

    /** This change, applied only while the stored credentials are still {@code credentials}. */
    public Transition ifCredentialsStill(Credentials credentials) {
        return new Transition(to, reason, from, Objects.requireNonNull(credentials, "credentials"));
    }
}
