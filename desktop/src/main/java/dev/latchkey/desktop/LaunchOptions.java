package dev.latchkey.desktop;

import dev.latchkey.AppConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The command line, parsed once: what to do ({@link Command}), whether to show a window, and the
 * backend's {@link AppConfig}. A flag it does not know is an error, never ignored.
 */
record LaunchOptions(Command command, boolean headless, AppConfig config) {

    enum Command { RUN, DOCTOR, URL, HELP }

    static final String USAGE = """
            usage: latchkey [--headless] [--port N] [--data-dir DIR] [--proxy-url URL]
                   latchkey doctor [--data-dir DIR]
                   latchkey url [--data-dir DIR]
                   latchkey --help

              --headless       no window: print the URL of the Connectors page and keep serving it
                               (also chosen when there is no display)
              --port N         listen on 127.0.0.1:N; 0, the default, takes any free port
              --data-dir DIR   where the database, the vault key and your own providers/ and catalog/
                               live (default: $XDG_DATA_HOME/latchkey, else ~/.local/share/latchkey)
              --proxy-url URL  the OAuth proxy that holds the client secrets (default http://127.0.0.1:8787)
              doctor           check that every catalog server names providers that exist; exit 1 if not
              url              print a fresh launch URL of the Latchkey running on the data directory
                               (each URL signs in once, within two minutes)""";

    /** Parses {@code args}; {@code env} supplies the display and the default data directory. */
    static LaunchOptions parse(List<String> args, Map<String, String> env) {
        Command command = Command.RUN;
        boolean headless = !hasDisplay(env);
        Path dataDir = AppConfig.defaultDataDir(env);
        int port = 0;
        URI proxyUrl = AppConfig.DEFAULT_PROXY_URL;
        Iterator<String> it = args.iterator();
        while (it.hasNext()) {
            String arg = it.next();
            switch (arg) {
                case "doctor" -> command = Command.DOCTOR;
                case "url" -> command = Command.URL;
                case "--help", "-h" -> command = Command.HELP;
                case "--headless" -> headless = true;
                case "--port" -> port = parsePort(value(it, arg));
                case "--data-dir" -> dataDir = Path.of(value(it, arg)).toAbsolutePath();
                case "--proxy-url" -> proxyUrl = parseUrl(value(it, arg));
                default -> throw new IllegalArgumentException("unknown argument \"" + arg + "\"");
            }
        }
        return new LaunchOptions(command, headless, new AppConfig(dataDir, port, proxyUrl));
    }

    private static boolean hasDisplay(Map<String, String> env) {
        return notBlank(env.get("DISPLAY")) || notBlank(env.get("WAYLAND_DISPLAY"));
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static String value(Iterator<String> it, String flag) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return it.next();
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below, with the value that came
        }
        throw new IllegalArgumentException("--port: expected 0 to 65535, got \"" + text + "\"");
    }

    private static URI parseUrl(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--proxy-url: not a URL: \"" + text + "\"");
        }
    }
}
