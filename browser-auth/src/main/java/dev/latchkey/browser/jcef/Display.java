package dev.latchkey.browser.jcef;

import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.util.Map;
import java.util.Optional;

/**
 * Whether there is an X display a JCEF window can be drawn on. CEF started without one does not
 * fail: it blocks the JVM for good. So the display is opened through AWT first, which answers at
 * once either way.
 */
public final class Display {

    private Display() {
    }

    /** Why no JCEF window can be shown, or empty when one can. */
    public static Optional<String> problem(Map<String, String> env) {
        String display = env.get("DISPLAY");
        if (display == null || display.isBlank()) {
            return Optional.of("no DISPLAY is set");
        }
        try {
            if (GraphicsEnvironment.isHeadless() || GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices().length == 0) {
                return Optional.of("Java runs headless (java.awt.headless)");
            }
            return Optional.empty();
        } catch (AWTError | HeadlessException | UnsatisfiedLinkError e) {
            return Optional.of("cannot open the display " + display + ": " + e.getMessage());
        }
    }
}
