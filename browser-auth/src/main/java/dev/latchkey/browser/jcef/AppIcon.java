package dev.latchkey.browser.jcef;

import java.awt.Image;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Latchkey's icon, for every window the app opens. */
public final class AppIcon {

    private AppIcon() {
    }

    /** The icon in the sizes a window manager picks from. */
    public static List<Image> images() {
        try (InputStream in = AppIcon.class.getResourceAsStream("icon.png")) {
            if (in == null) {
                throw new IllegalStateException("icon.png is missing from the browser-auth jar");
            }
            Image icon = ImageIO.read(in);
            return List.of(icon, icon.getScaledInstance(64, 64, Image.SCALE_SMOOTH),
                    icon.getScaledInstance(32, 32, Image.SCALE_SMOOTH), icon.getScaledInstance(16, 16, Image.SCALE_SMOOTH));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the app icon", e);
        }
    }
}
