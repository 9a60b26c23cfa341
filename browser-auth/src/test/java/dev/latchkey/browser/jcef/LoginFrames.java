package dev.latchkey.browser.jcef;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Frame;
import java.awt.event.WindowEvent;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.swing.SwingUtilities;

/** The test's eyes and hands on the JCEF login windows of this JVM: their frames, bars and close buttons. */
final class LoginFrames {

    private LoginFrames() {
    }

    static List<Frame> loginWindows() {
        return Arrays.stream(Frame.getFrames())
                .filter(frame -> frame.isDisplayable() && frame.getTitle().endsWith("— Latchkey sign-in")).toList();
    }

    /** Waits until the window's bar names {@code what} as the latest refusal. */
    static void awaitRefused(String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!barTexts().contains("Blocked " + what + ": not one of this service's hosts")) {
            assertThat(System.nanoTime()).as("the bar to show the refused " + what + "; it shows " + barTexts())
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The texts of the labels in the login windows' bars. */
    static List<String> barTexts() throws Exception {
        List<String> texts = new java.util.ArrayList<>();
        SwingUtilities.invokeAndWait(() -> loginWindows().forEach(frame -> collectLabels(frame, texts)));
        return texts;
    }

    static void collectLabels(java.awt.Container container, List<String> texts) {
        for (java.awt.Component component : container.getComponents()) {
            if (component instanceof javax.swing.JLabel label) {
                texts.add(label.getText());
            } else if (component instanceof java.awt.Container child) {
                collectLabels(child, texts);
            }
        }
    }

    /** The user's close button: the same event the window manager sends. */
    static void closeLoginWindow() throws Exception {
        SwingUtilities.invokeAndWait(() -> loginWindows().forEach(frame ->
                frame.dispatchEvent(new WindowEvent(frame, WindowEvent.WINDOW_CLOSING))));
    }

    static void awaitLoginWindow() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (loginWindows().isEmpty()) {
            assertThat(System.nanoTime()).as("a login window opened").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static void awaitNoLoginWindow() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!loginWindows().isEmpty()) {
            assertThat(System.nanoTime()).as("the login window closed itself").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
