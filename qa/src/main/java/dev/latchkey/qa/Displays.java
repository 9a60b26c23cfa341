package dev.latchkey.qa;

/**
 * The X display the apps of one test JVM open their windows on: the test's own {@code DISPLAY}
 * when there is one, unless {@value #PROPERTY}{@code =own}; otherwise one {@link VirtualDisplay}
 * (Xvfb and openbox) started at first use and shared by every test of the JVM, killed when it exits.
 */
final class Displays {

    static final String PROPERTY = "latchkey.qa.display";
    private static VirtualDisplay own;

    private Displays() {
    }

    /** The DISPLAY value to start an app with. */
    static synchronized String current() throws Exception {
        String inherited = System.getenv("DISPLAY");
        if (inherited != null && !inherited.isBlank() && !"own".equals(System.getProperty(PROPERTY))) {
            return inherited;
        }
        return ownDisplay().display();
    }

    /** The kit's own display, started if it is not yet. */
    static synchronized VirtualDisplay ownDisplay() throws Exception {
        if (own == null) {
            own = VirtualDisplay.start();
            System.err.println("[latchkey-qa] started Xvfb and openbox on " + own.display());
        }
        return own;
    }

    /** The kit's own display when the apps run on it, else null. */
    static synchronized VirtualDisplay ownIfUsed() {
        return own;
    }
}
