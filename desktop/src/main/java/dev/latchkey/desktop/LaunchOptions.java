package dev.latchkey.desktop;

import dev.latchkey.AppConfig;
import dev.latchkey.browser.QaSwitches;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The command line, parsed once: what to do ({@link Command}), where the Connectors page is shown
 * ({@link Shell}), the backend's {@link AppConfig}, the QA switches (Chromium's in
 * {@link QaSwitches}, and a remote-debugging port, 0 when off), and where the embedded browser's
 * natives are installed. A flag it does not know is an error, never ignored.
 */
record LaunchOptions(Command command, Shell shell, AppConfig config, QaSwitches qaSwitches, int remoteDebuggingPort,
                     Path jcefDir, List<String> arguments) {

    enum Command { RUN, DOCTOR, URL, MCP, CONNECT, HELP }

    /** Where the Connectors page is shown. */
    enum Shell {
        /** The app's own JCEF window (needs an X display). */
        WINDOW,
        /** The system browser, through {@code xdg-open}. */
        SYSTEM_BROWSER,
        /** Nowhere: one line with the URL on standard output. */
        HEADLESS
    }

    /** Overrides where the natives are installed (tests and benchmarks share one extraction). */
    static final String JCEF_DIR_ENV = "LATCHKEY_JCEF_DIR";

    /** {@code 1}: as {@code --require-sandbox} (the packaged app sets it). */
    static final String REQUIRE_SANDBOX_ENV = "LATCHKEY_REQUIRE_SANDBOX";

    static final String USAGE = """
            usage: latchkey [--headless | --browser jcef|system] [--port N] [--data-dir DIR] [--proxy-url URL]
                            [--refresh-margin MINUTES] [--tool-call-timeout MINUTES] [--require-sandbox]
                            [--client-metadata-url URL]
                            [--remote-debugging-port N] [--host-resolver-rules RULES]
                            [--ignore-certificate-errors-spki-list HASHES]
                   latchkey doctor [--data-dir DIR] [--proxy-url URL]
                   latchkey url [--data-dir DIR]
                   latchkey mcp [--data-dir DIR]
                   latchkey connect claude-desktop|cursor|vscode|claude-code [--undo] [--yes] [--data-dir DIR]
                   latchkey --help

              --headless       no window: print the URL of the Connectors page and keep serving it
                               (also chosen when there is no display)
              --browser B      jcef (default): the app's own window; system: your browser, via xdg-open
              --port N         listen on 127.0.0.1:N; 0, the default, takes any free port
              --data-dir DIR   where the database, the vault key, the embedded browser and your own
                               providers/ and catalog/ live (default: $XDG_DATA_HOME/latchkey, else
                               ~/.local/share/latchkey)
              --proxy-url URL  the OAuth proxy that holds the client secrets (default http://127.0.0.1:8787)
              --refresh-margin MINUTES
                               refresh an OAuth access token this many minutes before it ends
                               (default 5, at most 720)
              --tool-call-timeout MINUTES
                               how long one tool call to a running server may take (default 10, at most 1440)
              --client-metadata-url URL
                               the https URL of Latchkey's Client ID Metadata Document, its client id at a
                               remote server's authorization server that takes one (also
                               LATCHKEY_CLIENT_METADATA_URL; default: the proxy's, when it is at https)
              --require-sandbox
                               never start a server without its bubblewrap sandbox (also LATCHKEY_REQUIRE_SANDBOX=1);
                               off: where bubblewrap cannot run, servers run bare and their installs say so
              doctor           list the runtimes servers start with (npx, uvx, docker…), which OAuth
                               providers the proxy lacks, and check that every catalog server names
                               providers that exist; exit 1 if not
              url              print a fresh launch URL of the Latchkey running on the data directory
                               (each URL signs in once, within two minutes)
              mcp              an MCP server on stdin/stdout that forwards to the running app's gateway
                               (for MCP clients that only start programs); token from LATCHKEY_CLIENT_TOKEN,
                               else the app's own (gateway.json)
              connect CLIENT   show the entry Latchkey would add to CLIENT's MCP configuration and where,
                               and write it when you confirm (--yes: without asking); --undo takes it out

            QA switches (off by default; each is announced on standard error when on), for the app
            window and the login windows alike:
              --remote-debugging-port N              let Selenium/DevTools attach on 127.0.0.1:N
              --host-resolver-rules RULES            Chromium's, e.g. "MAP app.slack.com 127.0.0.1:8443"
              --ignore-certificate-errors-spki-list H  Chromium's: trust certificates with these key hashes

            Environment: LATCHKEY_JCEF_DIR overrides where the embedded browser is extracted
            (default: DATA_DIR/jcef); LATCHKEY_REQUIRE_SANDBOX=1 is --require-sandbox.""";

    /** Parses {@code args}; {@code env} supplies the display and the default data directory. */
    static LaunchOptions parse(List<String> args, Map<String, String> env) {
        Command command = Command.RUN;
        boolean headless = false;
        String browser = "jcef";
        Path dataDir = AppConfig.defaultDataDir(env);
        int port = 0;
        URI proxyUrl = AppConfig.DEFAULT_PROXY_URL;
        Duration refreshMargin = AppConfig.DEFAULT_REFRESH_MARGIN;
        Duration toolCallTimeout = AppConfig.DEFAULT_TOOL_CALL_TIMEOUT;
        int debuggingPort = 0;
        boolean requireSandbox = "1".equals(env.get(REQUIRE_SANDBOX_ENV));
        String metadataUrl = notBlank(env.get(AppConfig.CLIENT_METADATA_URL_ENV)) ? env.get(AppConfig.CLIENT_METADATA_URL_ENV) : null;
        List<String> arguments = new java.util.ArrayList<>();
        String hostRules = null;
        String spkiList = null;
        Iterator<String> it = args.iterator();
        while (it.hasNext()) {
            String arg = it.next();
            switch (arg) {
                case "doctor" -> command = Command.DOCTOR;
                case "url" -> command = Command.URL;
                case "mcp" -> command = Command.MCP;
                case "connect" -> command = Command.CONNECT;
                case "--undo", "--yes" -> arguments.add(arg);
                case "--help", "-h" -> command = Command.HELP;
                case "--headless" -> headless = true;
                case "--browser" -> browser = parseBrowser(value(it, arg));
                case "--port" -> port = parsePort(arg, value(it, arg), 0);
                case "--data-dir" -> dataDir = Path.of(value(it, arg)).toAbsolutePath().normalize();
                case "--proxy-url" -> proxyUrl = parseUrl(arg, value(it, arg));
                case "--refresh-margin" -> refreshMargin = parseMinutes(arg, value(it, arg), Duration.ZERO, AppConfig.MAX_REFRESH_MARGIN);
                case "--tool-call-timeout" -> toolCallTimeout = parseMinutes(arg, value(it, arg), AppConfig.MIN_TOOL_CALL_TIMEOUT, AppConfig.MAX_TOOL_CALL_TIMEOUT);
                case "--require-sandbox" -> requireSandbox = true;
                case "--client-metadata-url" -> metadataUrl = value(it, arg);
                case "--remote-debugging-port" -> debuggingPort = parsePort(arg, value(it, arg), 1);
                case "--host-resolver-rules" -> hostRules = value(it, arg);
                case "--ignore-certificate-errors-spki-list" -> spkiList = value(it, arg);
                default -> {
                    if (command != Command.CONNECT || arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown argument \"" + arg + "\"");
                    }
                    arguments.add(arg);
                }
            }
        }
        Path jcefDir = notBlank(env.get(JCEF_DIR_ENV)) ? Path.of(env.get(JCEF_DIR_ENV)).toAbsolutePath().normalize() : dataDir.resolve("jcef");
        URI metadata = metadataUrl == null ? AppConfig.proxyClientMetadataUrl(proxyUrl)
                : AppConfig.requireClientMetadataUrl(parseUrl("--client-metadata-url", metadataUrl));
        return new LaunchOptions(command, shell(headless, browser, env), new AppConfig(dataDir, port, proxyUrl, refreshMargin, toolCallTimeout,
                requireSandbox, metadata),
                new QaSwitches(hostRules, spkiList), debuggingPort, jcefDir, List.copyOf(arguments));
    }

    /** The loud lines to print at start for every QA switch that is on; empty when none is. */
    List<String> qaWarnings() {
        List<String> lines = new ArrayList<>();
        if (remoteDebuggingPort != 0) {
            lines.add("WARNING: QA switch --remote-debugging-port is on: any program on this machine can read and drive "
                    + "every Latchkey window, its sessions included, through 127.0.0.1:" + remoteDebuggingPort);
        }
        if (qaSwitches.on()) {
            lines.add(qaSwitches.announcement());
        }
        return lines;
    }

    /** Where the owner-only pages that forward the system browser to a launch URL or sign-in link are written. */
    Path browserLinksDir() {
        return config.dataDir().resolve("browser-links");
    }

    /** Where the embedded browser keeps its profiles, caches and log: under the data directory. */
    Path browserCacheDir() {
        return config.dataDir().resolve("browser");
    }

    private static Shell shell(boolean headless, String browser, Map<String, String> env) {
        boolean x11 = notBlank(env.get("DISPLAY"));
        if (headless || !x11 && !notBlank(env.get("WAYLAND_DISPLAY"))) {
            return Shell.HEADLESS;
        }
        // JCEF draws through X11; on a Wayland session without Xwayland only the system browser can.
        return browser.equals("system") || !x11 ? Shell.SYSTEM_BROWSER : Shell.WINDOW;
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

    private static String parseBrowser(String text) {
        if (!text.equals("jcef") && !text.equals("system")) {
            throw new IllegalArgumentException("--browser: expected jcef or system, got \"" + text + "\"");
        }
        return text;
    }

    private static int parsePort(String flag, String text, int lowest) {
        try {
            int port = Integer.parseInt(text);
            if (port >= lowest && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below, with the value that came
        }
        throw new IllegalArgumentException(flag + ": expected " + lowest + " to 65535, got \"" + text + "\"");
    }

    private static Duration parseMinutes(String flag, String text, Duration shortest, Duration longest) {
        long least = shortest.toMinutes();
        long most = longest.toMinutes();
        try {
            long minutes = Long.parseLong(text);
            if (minutes >= least && minutes <= most) {
                return Duration.ofMinutes(minutes);
            }
        } catch (NumberFormatException e) {
            // answered below, with the value that came
        }
        throw new IllegalArgumentException(flag + ": expected " + least + " to " + most + " minutes, got \"" + text + "\"");
    }

    private static URI parseUrl(String flag, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(flag + ": not a URL: \"" + text + "\"");
        }
    }
}
