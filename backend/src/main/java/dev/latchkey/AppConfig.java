package dev.latchkey;

import dev.latchkey.definition.Loopback;
import dev.latchkey.runtime.RuntimeSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the backend needs to start: where its data lives, the port to listen on (0 = any free
 * port), the OAuth proxy to use (https, or http on a loopback address only), how long before an
 * access token ends it is refreshed, how long one tool call to a running server may take, and
 * whether a server may run without a sandbox ({@code requireSandbox} off: where bubblewrap cannot
 * run, servers run bare and their installs say so), and the URL of Latchkey's Client ID Metadata
 * Document, offered as its client id where a remote server's authorization server supports them
 * ({@code clientMetadataUrl}, https; null: none; by default the one the OAuth proxy serves when the
 * proxy is at an https URL). Built once, from flags and environment, by the launcher.
 */
public record AppConfig(Path dataDir, int port, URI proxyUrl, Duration refreshMargin, Duration toolCallTimeout,
        boolean requireSandbox, URI clientMetadataUrl) {

    /** The environment variable that sets {@code clientMetadataUrl}, as {@code --client-metadata-url} does. */
    public static final String CLIENT_METADATA_URL_ENV = "LATCHKEY_CLIENT_METADATA_URL";

    /** Where the OAuth proxy serves Latchkey's Client ID Metadata Document (docs/oauth-proxy.md). */
    public static final String PROXY_CLIENT_METADATA_PATH = "/client-metadata.json";

    /** The proxy a developer runs locally with {@code ./latchkey proxy}. */
    public static final URI DEFAULT_PROXY_URL = URI.create("http://127.0.0.1:8787");

    /** Access tokens are refreshed this long before they end. */
    public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofMinutes(5);

    /** The longest refresh margin: most providers' access tokens live an hour or more. */
    public static final Duration MAX_REFRESH_MARGIN = Duration.ofHours(12);

    /** A tool call may take this long unless set otherwise. */
    public static final Duration DEFAULT_TOOL_CALL_TIMEOUT = RuntimeSettings.DEFAULT_TOOL_CALL_TIMEOUT;

    /** The shortest tool-call timeout a user may set. */
    public static final Duration MIN_TOOL_CALL_TIMEOUT = Duration.ofMinutes(1);

    /** The longest tool-call timeout: a day. */
    public static final Duration MAX_TOOL_CALL_TIMEOUT = Duration.ofDays(1);

    public AppConfig {
        // A relative data directory is taken from the working directory, once, and normalized: every
        // path built on it (the database, the lock, the client entries that run `latchkey mcp`) is whole.
        dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        Objects.requireNonNull(proxyUrl, "proxyUrl");
        Objects.requireNonNull(refreshMargin, "refreshMargin");
        if (refreshMargin.isNegative() || refreshMargin.compareTo(MAX_REFRESH_MARGIN) > 0) {
            throw new IllegalArgumentException("refresh margin: expected 0 s to " + MAX_REFRESH_MARGIN.toHours()
                    + " h, got " + refreshMargin.toSeconds() + " s");
        }
        Objects.requireNonNull(toolCallTimeout, "toolCallTimeout");
        if (toolCallTimeout.compareTo(MIN_TOOL_CALL_TIMEOUT) < 0 || toolCallTimeout.compareTo(MAX_TOOL_CALL_TIMEOUT) > 0) {
            throw new IllegalArgumentException("tool call timeout: expected " + MIN_TOOL_CALL_TIMEOUT.toMinutes() + " min to " + MAX_TOOL_CALL_TIMEOUT.toHours()
                    + " h, got " + toolCallTimeout.toSeconds() + " s");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: expected 0 (any free port) to 65535, got " + port);
        }
        String scheme = proxyUrl.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || proxyUrl.getHost() == null) {
            throw new IllegalArgumentException("proxy URL: expected an http(s) URL, got \"" + proxyUrl + "\"");
        }
        if ("http".equals(scheme) && !Loopback.isLoopback(proxyUrl.getHost())) {
            throw new IllegalArgumentException("proxy URL: plain http is allowed only on this machine (127.0.0.1, "
                    + "localhost, [::1]), since the proxy's answers carry tokens; use https for \"" + proxyUrl + "\"");
        }
        if (clientMetadataUrl != null) {
            requireClientMetadataUrl(clientMetadataUrl);
        }
    }

    /** A config whose client metadata document is the proxy's, when the proxy is at https. */
    public AppConfig(Path dataDir, int port, URI proxyUrl, Duration refreshMargin, Duration toolCallTimeout,
            boolean requireSandbox) {
        this(dataDir, port, proxyUrl, refreshMargin, toolCallTimeout, requireSandbox, proxyClientMetadataUrl(proxyUrl));
    }

    /** A config that lets servers run bare where no sandbox can be made. */
    public AppConfig(Path dataDir, int port, URI proxyUrl, Duration refreshMargin, Duration toolCallTimeout) {
        this(dataDir, port, proxyUrl, refreshMargin, toolCallTimeout, false);
    }

    /** A config with the default tool-call timeout. */
    public AppConfig(Path dataDir, int port, URI proxyUrl, Duration refreshMargin) {
        this(dataDir, port, proxyUrl, refreshMargin, DEFAULT_TOOL_CALL_TIMEOUT);
    }

    /** A config with the default refresh margin. */
    public AppConfig(Path dataDir, int port, URI proxyUrl) {
        this(dataDir, port, proxyUrl, DEFAULT_REFRESH_MARGIN);
    }

    /** A config on {@code dataDir}, any free port, and the local development proxy. */
    public static AppConfig of(Path dataDir) {
        return new AppConfig(dataDir, 0, DEFAULT_PROXY_URL);
    }

    /** The client metadata document's URL, when there is one. */
    public java.util.Optional<URI> clientMetadataDocument() {
        return java.util.Optional.ofNullable(clientMetadataUrl);
    }

    /**
     * The document the proxy at {@code proxyUrl} serves; null for a proxy on plain http, whose
     * document no authorization server would take (a client id URL is https).
     */
    public static URI proxyClientMetadataUrl(URI proxyUrl) {
        if (proxyUrl == null || !"https".equals(proxyUrl.getScheme())) {
            return null;
        }
        String base = proxyUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PROXY_CLIENT_METADATA_PATH);
    }

    /**
     * A client id that is a URL (draft-ietf-oauth-client-id-metadata-document §3): https, with a
     * host and a path, no fragment; answers it or says what is wrong.
     */
    public static URI requireClientMetadataUrl(URI url) {
        String path = url.getRawPath();
        if (!"https".equals(url.getScheme()) || url.getHost() == null || path == null || path.isEmpty() || path.equals("/")
                || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("client metadata URL: expected an https URL with a path and no fragment "
                    + "(it is the client id authorization servers fetch), got \"" + url + "\"");
        }
        return url;
    }

    /**
     * {@code $XDG_DATA_HOME/latchkey}, else {@code ~/.local/share/latchkey}; a relative
     * {@code XDG_DATA_HOME} is ignored, as the XDG Base Directory specification asks.
     */
    public static Path defaultDataDir(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("latchkey");
    }

    /** Where the user's own provider definitions live. */
    public Path userProvidersDir() {
        return dataDir.resolve("providers");
    }

    /**
     * An install's own directory: its server's working directory and {@code HOME}, where its
     * credential files are written.
     */
    public Path installDir(String installId) {
        return dataDir.resolve("installs").resolve(installId);
    }

    /** Where the user's own catalog manifests live. */
    public Path userCatalogDir() {
        return dataDir.resolve("catalog");
    }
}
