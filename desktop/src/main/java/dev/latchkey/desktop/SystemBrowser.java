package dev.latchkey.desktop;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The user's own browser, reached through {@code xdg-open} (which asks the desktop, then
 * {@code $BROWSER}): where {@code --browser system} shows the Connectors page, and where the app
 * window sends every page the Connectors page opens in a new window — above all an OAuth
 * sign-in, which belongs in the user's browser and not in an embedded one (RFC 8252, section 8.12).
 */
final class SystemBrowser {

    private SystemBrowser() {
    }

    /** Only web pages are handed on: {@code file:}, {@code javascript:}, {@code data:} and the rest never are. */
    static boolean accepts(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Whether {@code url} is an OAuth authorization URL with its PKCE challenge (and state): such a
     * URL never goes on a command line, which every local user can read in {@code /proc}; the page
     * opens its one-time loopback link ({@code /oauth/go/<opaque>}) instead.
     */
    static boolean carriesSignInSecrets(String url) {
        try {
            String query = new URI(url).getRawQuery();
            return query != null && Arrays.stream(query.split("&")).anyMatch(p -> p.startsWith("code_challenge="));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Starts {@code xdg-open} on {@code url}, a page {@link #accepts} takes that carries no
     * sign-in secrets ({@link #carriesSignInSecrets}), and does not wait for it; false when it
     * could not be started. {@code xdg-open} is never given {@code url} itself, which may hold a
     * one-time launch code or sign-in link, but the {@code file:} URL of an owner-only
     * {@link ForwardingPage} in {@code linksFolder} that forwards to it.
     */
    static boolean open(String url, Path linksFolder) {
        if (!accepts(url)) {
            throw new IllegalArgumentException("only http(s) pages go to the system browser, not \"" + url + "\"");
        }
        if (carriesSignInSecrets(url)) {
            throw new IllegalArgumentException("an OAuth authorization URL (it carries a PKCE code_challenge) never goes on "
                    + "xdg-open's command line, which every local user can read; open its one-time /oauth/go link instead");
        }
        try {
            ForwardingPage page = ForwardingPage.write(linksFolder, url, ForwardingPage.LIFETIME);
            new ProcessBuilder("xdg-open", page.url()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
