package dev.latchkey.provider;

import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Quote;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The host entries of a browser-login definition: exact hosts ({@code accounts.google.com}) and
 * {@code *.suffix} wildcards (any sub-domain). A wildcard on a shared or multi-tenant suffix is
 * refused in {@code allowedHosts}: under those, anyone can publish a page (a Google Site, an
 * Okta tenant of their own, an app on a cloud host), and a login window that loads it would run
 * that page next to the session. Such tenants go in {@code ssoHosts}, reached only by a server
 * redirect (see {@link BrowserAuthSettings#ssoHosts()}).
 */
final class HostPatterns {

    /**
     * Suffixes under which others than the identity provider publish pages: the big identity
     * providers' own domains (sites, apps and tenants live under them) and the multi-tenant SSO
     * and hosting domains. Short on purpose: a wildcard under one of these is what a definition
     * could plausibly reach for.
     */
    static final Set<String> SHARED = Set.of(
            "google.com", "googleusercontent.com", "appspot.com", "firebaseapp.com", "web.app",
            "apple.com", "icloud.com",
            "microsoft.com", "microsoftonline.com", "live.com", "office.com", "sharepoint.com", "azurewebsites.net",
            "okta.com", "oktapreview.com", "okta-emea.com", "onelogin.com", "auth0.com", "pingone.com",
            "amazonaws.com", "cloudfront.net", "github.io", "herokuapp.com", "vercel.app", "netlify.app", "pages.dev");

    private static final String HOST = "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*";

    private HostPatterns() {
    }

    /** Checks each entry's form; in {@code allowedHosts}, wildcards on or under {@link #SHARED} suffixes are refused too. */
    static void check(String field, List<String> entries, boolean sharedWildcardsAllowed) {
        for (String entry : entries) {
            if (entry == null || !entry.matches("(\\*\\.)?" + HOST) || !entry.contains(".")) {
                throw new InvalidDefinitionException(field,
                        "each entry must be a host such as \"slack.com\" or a wildcard such as \"*.slack.com\", got "
                                + Quote.of(entry));
            }
            String suffix = entry.startsWith("*.") ? entry.substring(2) : null;
            if (suffix != null && !suffix.contains(".")) {
                throw new InvalidDefinitionException(field, Quote.of(entry) + " admits a whole top-level domain; "
                        + "name the hosts, e.g. \"slack.com\"");
            }
            if (suffix != null && !sharedWildcardsAllowed && isShared(suffix)) {
                throw new InvalidDefinitionException(field, Quote.of(entry) + " admits every host under " + suffix
                        + ", where others than its owner publish pages; name the exact hosts (e.g. \"accounts.google.com\", "
                        + "\"login.microsoftonline.com\"), and put an SSO tenant's wildcard in ssoHosts");
            }
        }
    }

    /** Whether {@code suffix} is a {@link #SHARED} one or lies under one ({@code sites.google.com}). */
    private static boolean isShared(String suffix) {
        return SHARED.stream().anyMatch(shared -> suffix.equals(shared) || suffix.endsWith("." + shared));
    }

    /** Whether {@code host} is an exact entry, or a sub-domain of a {@code *.suffix} entry. */
    static boolean matches(List<String> entries, String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : entries) {
            boolean match = entry.startsWith("*.") ? h.endsWith(entry.substring(1)) : h.equals(entry);
            if (match) {
                return true;
            }
        }
        return false;
    }
}
