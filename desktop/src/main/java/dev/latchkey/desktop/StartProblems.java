package dev.latchkey.desktop;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one sentence a start that cannot go on ends with, for the causes a user can fix: a data
 * directory that cannot be written (not theirs, read-only, no permission), one on a full disk,
 * and a Debian library the window needs that is not installed (named with its package). Each
 * is found in the exception's cause chain, whatever layer (the lock, H2, CEF's loader) threw it.
 */
final class StartProblems {

    /** A library a loader could not load, from its error text ({@code libnss3.so: cannot open …}). */
    private static final Pattern LIBRARY = Pattern.compile("(lib[A-Za-z0-9_+.-]+?\\.so(?:\\.[0-9]+)*)\\s*:");

    /**
     * The Debian 12 package of each shared library the CEF natives and AWT link against that a
     * desktop may lack ({@code dpkg -S} on this machine); the libraries of libc itself are left out.
     */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("libnss3.so", "libnss3"), Map.entry("libnssutil3.so", "libnss3"), Map.entry("libsmime3.so", "libnss3"),
            Map.entry("libnspr4.so", "libnspr4"), Map.entry("libplc4.so", "libnspr4"), Map.entry("libplds4.so", "libnspr4"),
            Map.entry("libatk-1.0.so.0", "libatk1.0-0"), Map.entry("libatk-bridge-2.0.so.0", "libatk-bridge2.0-0"),
            Map.entry("libatspi.so.0", "libatspi2.0-0"), Map.entry("libcups.so.2", "libcups2"),
            Map.entry("libdrm.so.2", "libdrm2"), Map.entry("libgbm.so.1", "libgbm1"),
            Map.entry("libxkbcommon.so.0", "libxkbcommon0"), Map.entry("libdbus-1.so.3", "libdbus-1-3"),
            Map.entry("libexpat.so.1", "libexpat1"), Map.entry("libasound.so.2", "libasound2"),
            Map.entry("libpango-1.0.so.0", "libpango-1.0-0"), Map.entry("libcairo.so.2", "libcairo2"),
            Map.entry("libglib-2.0.so.0", "libglib2.0-0"), Map.entry("libgobject-2.0.so.0", "libglib2.0-0"),
            Map.entry("libgio-2.0.so.0", "libglib2.0-0"), Map.entry("libX11.so.6", "libx11-6"),
            Map.entry("libxcb.so.1", "libxcb1"), Map.entry("libXcomposite.so.1", "libxcomposite1"),
            Map.entry("libXdamage.so.1", "libxdamage1"), Map.entry("libXext.so.6", "libxext6"),
            Map.entry("libXfixes.so.3", "libxfixes3"), Map.entry("libXrandr.so.2", "libxrandr2"),
            Map.entry("libXtst.so.6", "libxtst6"), Map.entry("libXi.so.6", "libxi6"),
            Map.entry("libXrender.so.1", "libxrender1"), Map.entry("libfreetype.so.6", "libfreetype6"),
            Map.entry("libfontconfig.so.1", "libfontconfig1"), Map.entry("libudev.so.1", "libudev1"));

    private StartProblems() {
    }

    /**
     * Room the data directory's disk must have for a start: the database appends to its file, and
     * a start that ran out of room half-way would leave its background parts logging errors.
     */
    static final long MIN_FREE_BYTES = 16L << 20;

    /** The sentence for a data directory on a disk with less than {@link #MIN_FREE_BYTES} free; empty when there is room. */
    static Optional<String> tooFull(Path dataDir) {
        try {
            long free = Files.getFileStore(dataDir).getUsableSpace();
            return free >= MIN_FREE_BYTES ? Optional.empty() : Optional.of("the data directory " + dataDir + " is full ("
                    + free / 1024 + " KB free, at least " + (MIN_FREE_BYTES >> 20) + " MB needed): free some space and"
                    + " start again; nothing stored in it was changed");
        } catch (IOException e) {
            return Optional.empty(); // the start itself will say what is wrong with it
        }
    }

    /**
     * The sentence for a start on {@code dataDir} that failed with {@code failure}, when the
     * failure is the data directory's (full, read-only, not writable, not this user's).
     */
    static Optional<String> dataDir(Path dataDir, Throwable failure) {
        return reason(failure).map(reason -> {
            if (reason.equals("No space left on device")) {
                return "the data directory " + dataDir + " is full (no space left on device): free some space and start "
                        + "again; nothing stored in it was changed";
            }
            Optional<String> owner = otherOwner(dataDir);
            if (owner.isPresent()) {
                return "the data directory " + dataDir + " belongs to user " + owner.get() + "; each user runs a Latchkey"
                        + " of their own: start without --data-dir, or with a directory of yours";
            }
            return "cannot write to the data directory " + dataDir + " (" + reason.toLowerCase(Locale.ROOT) + "): make it"
                    + " writable for you, or start with --data-dir pointing elsewhere; nothing stored in it was changed";
        });
    }

    /**
     * The sentence for a window that cannot start because a library is missing, naming the Debian
     * package to install; empty when {@code failure} is not a missing library.
     */
    static Optional<String> missingLibrary(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnsatisfiedLinkError && cause.getMessage() != null) {
                return missingLibrary(cause.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The same, from a loader's error text (AWT's, inside the display's problem); empty when it names no library. */
    static Optional<String> missingLibrary(String loaderError) {
        Matcher library = LIBRARY.matcher(loaderError);
        String found = null;
        while (library.find()) {
            found = library.group(1); // the last one named is the one that failed to load
        }
        if (found == null) {
            return Optional.empty();
        }
        String name = found;
        String install = Optional.ofNullable(PACKAGES.get(name)).map(pkg -> "install it with: apt-get install -y " + pkg)
                .orElse("install the Debian package that holds it (apt-file search " + name + ")");
        return Optional.of("the window cannot start: " + name + " is missing or broken (" + loaderError + "); " + install
                + ", or start with --headless");
    }

    /** The file system's reason when the failure is one a user fixes on the data directory. */
    private static Optional<String> reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("No space left on device")) {
                return Optional.of("No space left on device");
            }
            if (cause instanceof AccessDeniedException || message.contains("Permission denied")) {
                return Optional.of("Permission denied");
            }
            if (message.contains("Read-only file system")) {
                return Optional.of("Read-only file system");
            }
            if (cause instanceof FileSystemException fs && fs.getReason() != null) {
                return Optional.of(fs.getReason());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> otherOwner(Path dataDir) {
        try {
            String owner = Files.getOwner(dataDir).getName(); // NoSuchFileException when it is not there yet
            return owner.equals(System.getProperty("user.name")) ? Optional.empty() : Optional.of(owner);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
