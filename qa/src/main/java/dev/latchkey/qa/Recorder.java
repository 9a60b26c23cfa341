package dev.latchkey.qa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A video of the X display while one test runs, by ffmpeg's {@code x11grab} (5 frames a second,
 * H.264): asked for with {@value #PROPERTY}{@code =true} or {@link LatchkeyExtension#video()},
 * kept in the test's evidence folder when it fails, deleted when it passes.
 */
final class Recorder {

    static final String PROPERTY = "latchkey.qa.video";

    private final ProcessGroups.Group ffmpeg;
    private final Path file;

    private Recorder(ProcessGroups.Group ffmpeg, Path file) {
        this.ffmpeg = ffmpeg;
        this.file = file;
    }

    static Recorder start(String display, Path file) throws IOException {
        if (!VirtualDisplay.onPath("ffmpeg")) {
            throw new IllegalStateException("a video of the display was asked for (" + PROPERTY
                    + "); it needs ffmpeg: apt-get install -y ffmpeg");
        }
        Files.createDirectories(file.getParent());
        ProcessBuilder builder = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-y", "-f", "x11grab",
                "-video_size", "1280x900", "-framerate", "5", "-i", display, "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(file.resolveSibling(file.getFileName() + ".log").toFile());
        return new Recorder(ProcessGroups.start(builder), file);
    }

    /** Ends the recording (ffmpeg's "q", so the file is finished) and keeps it or deletes it. */
    void stop(boolean keep) throws IOException, InterruptedException {
        try {
            ffmpeg.process().getOutputStream().write('q');
            ffmpeg.process().getOutputStream().flush();
        } catch (IOException e) {
            // ffmpeg has already ended; whatever it wrote is kept or deleted below
        }
        if (!ffmpeg.process().waitFor(10, TimeUnit.SECONDS)) {
            ffmpeg.kill();
        }
        ffmpeg.kill();
        if (!keep) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".log"));
        }
    }
}
