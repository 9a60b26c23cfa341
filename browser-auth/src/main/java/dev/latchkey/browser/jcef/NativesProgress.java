package dev.latchkey.browser.jcef;

import java.awt.BorderLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.swing.BorderFactory;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JProgressBar;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.WindowConstants;
import me.friwi.jcefmaven.EnumProgress;
import me.friwi.jcefmaven.IProgressHandler;

/**
 * Shows the first run's extraction of the browser natives (about 360 MB, a few seconds): a small
 * window with the megabytes written so far, and a line on standard error before and after. Later
 * runs find the natives installed and show nothing.
 */
final class NativesProgress implements IProgressHandler {

    private final Path installDir;
    private JFrame window;
    private Timer timer;
    private long startedNanos;

    NativesProgress(Path installDir) {
        this.installDir = installDir;
    }

    @Override
    public void handleProgress(EnumProgress state, float percent) {
        switch (state) {
            case DOWNLOADING -> throw new IllegalStateException("the browser natives (me.friwi:jcef-natives-linux-amd64) are not on "
                    + "the classpath; Latchkey never downloads them: rebuild with ./latchkey");
            case EXTRACTING -> {
                startedNanos = System.nanoTime();
                System.err.println("latchkey: first run: extracting the embedded browser into " + installDir + " ...");
                SwingUtilities.invokeLater(this::show);
            }
            case INSTALL -> {
                System.err.printf("latchkey: embedded browser extracted (%d MB in %.1f s)%n",
                        megabytesWritten(), (System.nanoTime() - startedNanos) / 1e9);
                SwingUtilities.invokeLater(this::hide);
            }
            default -> {
                // locating, initializing, initialized: nothing to show
            }
        }
    }

    private void show() {
        JLabel label = new JLabel("Preparing the embedded browser (first run only)…");
        JProgressBar bar = new JProgressBar();
        bar.setIndeterminate(true);
        bar.setStringPainted(true);
        bar.setString("0 MB");
        window = new JFrame("Latchkey — first run");
        window.setIconImages(AppIcon.images());
        window.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        window.getRootPane().setBorder(BorderFactory.createEmptyBorder(16, 16, 16, 16));
        window.add(label, BorderLayout.NORTH);
        window.add(bar, BorderLayout.CENTER);
        window.setSize(420, 120);
        window.setLocationRelativeTo(null);
        window.setVisible(true);
        timer = new Timer(300, e -> bar.setString(megabytesWritten() + " MB of about 360 MB"));
        timer.start();
    }

    private void hide() {
        if (timer != null) {
            timer.stop();
        }
        if (window != null) {
            window.dispose();
        }
    }

    private long megabytesWritten() {
        try (Stream<Path> files = Files.walk(installDir)) {
            return files.filter(Files::isRegularFile).mapToLong(NativesProgress::size).sum() / (1024 * 1024);
        } catch (IOException | UncheckedIOException e) {
            return 0; // the directory is being written; the next tick reads it again
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
