package dev.latchkey.browser;

import dev.latchkey.provider.BrowserAuthSettings;
import dev.latchkey.provider.Extraction;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every login window, JCEF or Chromium, decides the same way, from a provider's
 * {@link BrowserAuthSettings}: which pages it may load, when the user is signed in, which cookie
 * is the one asked for, and whether the values read are complete and of their shape. One per
 * window: the SSO tenant hosts a server redirect admitted ({@link #redirected}) are this window's only.
 */
public final class LoginRules {

    private final BrowserAuthSettings settings;
    /** SSO tenant hosts (exact) a server redirect from an allowed page led to, in this window. */
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    public LoginRules(BrowserAuthSettings settings) {
        this.settings = settings;
    }

    public BrowserAuthSettings settings() {
        return settings;
    }

    /**
     * Whether the window may load {@code url} as a page or frame: https on an allowed host
     * ({@link BrowserAuthSettings#allowsHost}), or an empty {@code about:} page. Plain http is
     * refused even on an allowed host: a session must not travel unencrypted.
     */
    public boolean allowsNavigation(String url) {
        URI uri = parse(url);
        if (uri == null || uri.getScheme() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("about")) {
            return url.equals("about:blank") || url.equals("about:srcdoc");
        }
        return scheme.equals("https") && uri.getHost() != null
                && (settings.allowsHost(uri.getHost()) || admitted.contains(uri.getHost().toLowerCase(Locale.ROOT)));
    }

    /**
     * A server redirect (3xx with a Location) from {@code from} to {@code to}: when {@code from}
     * is a page this window may load and {@code to} is https on a host under one of the
     * provider's {@code ssoHosts} ({@code acme.okta.com} under {@code *.okta.com}), that exact host
     * is allowed in this window from now on. Links, scripts and typed addresses never admit a host.
     */
    public void redirected(String from, String to) {
        URI target = parse(to);
        if (!allowsNavigation(from) || target == null || !"https".equalsIgnoreCase(target.getScheme())
                || !settings.isSsoHost(target.getHost())) {
            return;
        }
        admitted.add(target.getHost().toLowerCase(Locale.ROOT));
    }

    /** Whether the page at {@code url} shows a signed-in user, so the values can be read. */
    public boolean isReady(String url) {
        return settings.isReady(url);
    }

    /**
     * Whether a cookie in the browser's store is the one {@code wanted} names: same name, same
     * domain as stored. That domain lies within the allowed hosts: {@link BrowserAuthSettings}
     * refuses a definition whose cookie domain does not, when it is read.
     */
    public boolean isCookie(Extraction.Cookie wanted, String name, String domain) {
        return wanted.cookie().equals(name) && wanted.domain().equalsIgnoreCase(domain);
    }

    /**
     * The first value (in the order the provider lists them) that is still missing from
     * {@code read} or not of its shape, as words for a person; empty when every value is there.
     */
    public Optional<String> missing(Map<String, String> read) {
        for (Map.Entry<String, Extraction> entry : settings.extract().entrySet()) {
            String value = read.get(entry.getKey());
            if (value == null || value.isEmpty()) {
                return Optional.of("the value \"" + entry.getKey() + "\"");
            }
            if (!entry.getValue().accepts(value)) {
                return Optional.of("the value \"" + entry.getKey() + "\" in its expected shape " + entry.getValue().shape());
            }
        }
        return Optional.empty();
    }

    /** The earlier of two expiries, where null means "ends with the session". */
    public static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /** The host of {@code url} to show in the window, or the whole text when it has none. */
    public static String hostOf(String url) {
        URI uri = parse(url);
        return uri != null && uri.getHost() != null ? uri.getHost() : String.valueOf(url);
    }

    /**
     * {@code url} without its query and fragment, which may carry codes or tokens: what a
     * refused navigation is called in the window and in the outcome.
     */
    public static String withoutQuery(String url) {
        URI uri = parse(url);
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            int cut = url.indexOf('?') >= 0 ? url.indexOf('?') : url.indexOf('#');
            return cut >= 0 ? url.substring(0, cut) : url;
        }
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static URI parse(String url) {
        if (url == null) {
            return null;
        }
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
