package dev.latchkey.desktop;

import dev.latchkey.Backend;
import dev.latchkey.store.DataDirInUseException;
import java.io.IOException;
import java.util.List;

/**
 * Latchkey's entry point and the one place that wires the app together: parse the command line,
 * start the backend, then show the Connectors page (system browser for now; the JCEF window
 * arrives with browser login) or, headless, print its address.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("latchkey: " + e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        switch (options.command()) {
            case HELP -> System.out.println(LaunchOptions.USAGE);
            case DOCTOR -> System.exit(doctor(options));
            case RUN -> System.exit(run(options));
        }
    }

    private static int doctor(LaunchOptions options) {
        List<String> mismatches = Backend.doctor(options.config());
        if (mismatches.isEmpty()) {
            System.out.println("latchkey doctor: every catalog server names providers that exist; no problems");
            return 0;
        }
        mismatches.forEach(mismatch -> System.out.println("problem: " + mismatch));
        System.out.println("latchkey doctor: " + mismatches.size() + " problem(s)");
        return 1;
    }

    private static int run(LaunchOptions options) {
        Backend backend;
        try {
            backend = Backend.start(options.config());
        } catch (DataDirInUseException e) {
            System.err.println("latchkey: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "latchkey-shutdown"));
        if (options.headless()) {
            System.out.println("Latchkey is running. Open " + backend.launchUrl());
        } else {
            openInSystemBrowser(backend.launchUrl());
        }
        System.out.flush();
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void openInSystemBrowser(String url) {
        try {
            new ProcessBuilder("xdg-open", url).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            System.out.println("Latchkey is running; opened the Connectors page in your browser. If it did not open: " + url);
        } catch (IOException e) {
            System.out.println("Latchkey is running. Open " + url);
        }
    }
}
