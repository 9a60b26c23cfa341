package dev.latchkey.desktop;

import dev.latchkey.store.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An owner-only HTML page ({@code 0600}, in a {@code 0700} folder of the data dir) that forwards
 * the browser to a URL: what {@code xdg-open} is handed instead of the URL, so that a one-time
 * launch code or sign-in link never sits on a command line, which every local user can read in
 * {@code /proc}. The browser runs as the same user, so it can read the page. A page is deleted
 * once its URL can no longer be used ({@link #LIFETIME}), when the app exits, and, should the app
 * have been killed, by the next page written to the folder.
 */
record ForwardingPage(Path file) {

    /**
     * How long a page is kept: as long as the launch code or sign-in link it forwards to lives
     * (two minutes, {@code PageSessions.CODE_LIFETIME} and {@code SignInLinks.LIFETIME}).
     */
    static final Duration LIFETIME = Duration.ofMinutes(2);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A page in {@code folder} (made {@code 0700} if need be) forwarding to {@code url}, deleted after {@code lifetime}. */
    static ForwardingPage write(Path folder, String url, Duration lifetime) throws IOException {
        OwnerOnly.directory(folder);
        sweep(folder, lifetime);
        byte[] name = new byte[16];
        RANDOM.nextBytes(name);
        Path file = folder.resolve("open-" + HexFormat.of().formatHex(name) + ".html");
        OwnerOnly.write(file, html(url).getBytes(StandardCharsets.UTF_8));
        file.toFile().deleteOnExit();
        CompletableFuture.delayedExecutor(lifetime.toMillis(), TimeUnit.MILLISECONDS).execute(() -> delete(file));
        return new ForwardingPage(file);
    }

    /** The {@code file:} URL of the page, which names no secret. */
    String url() {
        return file.toUri().toString();
    }

    /** A meta refresh, and a link for a browser that does not follow it; no referrer goes along. */
    static String html(String url) {
        String target = escape(url);
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\">\n"
                + "<meta name=\"referrer\" content=\"no-referrer\">\n"
                + "<meta http-equiv=\"refresh\" content=\"0; url=" + target + "\">\n"
                + "<title>Latchkey</title></head>\n"
                + "<body><p>Opening Latchkey&hellip; <a href=\"" + target + "\">Continue</a></p></body></html>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("'", "&#39;")
                .replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Deletes pages older than {@code lifetime}: those an app that was killed left behind. */
    private static void sweep(Path folder, Duration lifetime) throws IOException {
        FileTime oldest = FileTime.from(Instant.now().minus(lifetime));
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(file -> file.getFileName().toString().startsWith("open-"))
                    .filter(file -> modified(file).compareTo(oldest) < 0)
                    .forEach(ForwardingPage::delete);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.from(Instant.MAX);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("latchkey: could not delete the browser link page " + file + ": " + e.getMessage());
        }
    }
}
