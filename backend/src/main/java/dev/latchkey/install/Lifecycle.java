package dev.latchkey.install;

import static dev.latchkey.install.InstallStatus.CONNECTED;
import static dev.latchkey.install.InstallStatus.CONNECTING;
import static dev.latchkey.install.InstallStatus.FAILED;
import static dev.latchkey.install.InstallStatus.INSTALLING;
import static dev.latchkey.install.InstallStatus.NEEDS_REAUTH;
import static dev.latchkey.install.InstallStatus.NEEDS_RELOGIN;
import static dev.latchkey.install.InstallStatus.PENDING_AUTH;
import static dev.latchkey.install.InstallStatus.RUNNING;
import static dev.latchkey.install.InstallStatus.STARTING;
import static dev.latchkey.install.InstallStatus.STOPPED;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The install lifecycle as data: for each status, the statuses an install may enter it from.
 * {@link InstallStore#transition} writes a status only while the install is in one of them
 * ({@code UPDATE … WHERE status IN (…)}), so a writer that acts on an old picture loses instead of
 * overwriting what happened since. {@code docs/architecture.md} draws the machine.
 *
 * <ul>
 *   <li>a sign-in may begin from anywhere; only a sign-in that succeeded makes an install
 *       {@code connected} again after {@code needs_reauth} or {@code needs_relogin};</li>
 *   <li>a server start ({@code installing}, {@code starting}) and {@code running} never leave
 *       {@code needs_reauth} or {@code needs_relogin}: a crash-restart cannot hide that a person
 *       must sign in again, and {@code running} follows only a start;</li>
 *   <li>{@code needs_reauth} and {@code needs_relogin} are entered by the checks of a stored
 *       connection, never during a sign-in that is exchanging its code ({@code connecting});
 *       {@code needs_relogin} may come back from {@code pending_auth} when a re-login window closes
 *       without success.</li>
 * </ul>
 */
public final class Lifecycle {

    private static final Set<InstallStatus> STARTABLE = EnumSet.of(CONNECTED, INSTALLING, STARTING, RUNNING, FAILED, STOPPED);

    private static final Map<InstallStatus, Set<InstallStatus>> FROM = new EnumMap<>(InstallStatus.class);

    static {
        FROM.put(PENDING_AUTH, EnumSet.allOf(InstallStatus.class));
        FROM.put(CONNECTING, EnumSet.of(PENDING_AUTH, CONNECTING, FAILED));
        FROM.put(CONNECTED, EnumSet.of(PENDING_AUTH, CONNECTING, CONNECTED, NEEDS_REAUTH, NEEDS_RELOGIN, FAILED, STOPPED));
        FROM.put(INSTALLING, STARTABLE);
        FROM.put(STARTING, STARTABLE);
        FROM.put(RUNNING, EnumSet.of(INSTALLING, STARTING));
        FROM.put(NEEDS_REAUTH, EnumSet.of(CONNECTED, INSTALLING, STARTING, RUNNING, NEEDS_REAUTH, FAILED, STOPPED));
        FROM.put(NEEDS_RELOGIN, EnumSet.of(PENDING_AUTH, CONNECTED, INSTALLING, STARTING, RUNNING, NEEDS_RELOGIN,
                FAILED, STOPPED));
        FROM.put(FAILED, EnumSet.of(PENDING_AUTH, CONNECTING, CONNECTED, INSTALLING, STARTING, RUNNING, FAILED, STOPPED));
        FROM.put(STOPPED, EnumSet.of(PENDING_AUTH, CONNECTED, INSTALLING, STARTING, RUNNING, FAILED, STOPPED));
    }

    /** Statuses in which the install's server runs or is being started. */
    public static final Set<InstallStatus> UP = Collections.unmodifiableSet(EnumSet.of(INSTALLING, STARTING, RUNNING));

    /** Statuses that wait for a person to sign in again; entering one stops the server. */
    public static final Set<InstallStatus> SIGNED_OUT = Collections.unmodifiableSet(EnumSet.of(NEEDS_REAUTH, NEEDS_RELOGIN));

    private Lifecycle() {
    }

    /** The statuses {@code target} may be entered from. */
    public static Set<InstallStatus> from(InstallStatus target) {
        return Collections.unmodifiableSet(FROM.get(target));
    }

    /** Whether an install in {@code from} may move to {@code to}. */
    public static boolean allows(InstallStatus from, InstallStatus to) {
        return FROM.get(to).contains(from);
    }
}
