package dev.latchkey.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Quote;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to sign a user in through the service's own web login, in Latchkey's login window, and
 * read the session values once signed in (docs/providers.md, "Browser login").
 *
 * @param loginUrl       the page the window opens, https, on an allowed host
 * @param allowedHosts   the navigation rule: exact hosts ({@code slack.com}, {@code accounts.google.com})
 *                       and wildcards on the service's own domain ({@code *.slack.com}, any sub-domain),
 *                       never on a shared suffix ({@link HostPatterns#SHARED}); every other navigation is cancelled
 * @param readyWhen      a regular expression found in the page URL once the user is signed in
 * @param extract        the values to read, by name; the names are what {@code tokenEnvVarPattern} maps
 * @param timeoutSeconds how long the window waits for the user before giving up
 * @param check          how to ask the service whether a stored session still works, or null for none
 * @param ssoHosts       wildcards of SSO tenants that cannot be known up front ({@code *.okta.com}): a
 *                       host under one is allowed only after a server redirect from an allowed host
 *                       led there, in that window only; empty for none
 */
@JsonPropertyOrder({"loginUrl", "allowedHosts", "ssoHosts", "readyWhen", "extract", "timeoutSeconds", "check"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BrowserAuthSettings(
        URI loginUrl,
        List<String> allowedHosts,
        @JsonSerialize(using = ToStringSerializer.class) Pattern readyWhen,
        Map<String, Extraction> extract,
        int timeoutSeconds,
        SessionCheck check,
        List<String> ssoHosts) {

    public BrowserAuthSettings {
        OAuthSettings.requireHttps("loginUrl", loginUrl);
        allowedHosts = List.copyOf(Objects.requireNonNull(allowedHosts, "allowedHosts"));
        if (allowedHosts.isEmpty()) {
            throw new InvalidDefinitionException("allowedHosts", "must list at least the login page's host");
        }
        HostPatterns.check("allowedHosts", allowedHosts, false);
        ssoHosts = List.copyOf(ssoHosts == null ? List.of() : ssoHosts);
        HostPatterns.check("ssoHosts", ssoHosts, true);
        if (ssoHosts.stream().anyMatch(entry -> !entry.startsWith("*."))) {
            throw new InvalidDefinitionException("ssoHosts", "each entry must be a wildcard such as \"*.okta.com\" "
                    + "(an exact host belongs in allowedHosts), got " + ssoHosts);
        }
        Objects.requireNonNull(readyWhen, "readyWhen");
        extract = Map.copyOf(Objects.requireNonNull(extract, "extract"));
        if (extract.isEmpty()) {
            throw new InvalidDefinitionException("extract", "must name at least one value to read");
        }
        for (String name : extract.keySet()) {
            if (!name.matches("[a-z][A-Za-z0-9]*")) {
                throw new InvalidDefinitionException("extract",
                        "value names must be camelCase words such as \"token\", got " + Quote.of(name));
            }
            if (extract.get(name) instanceof Extraction.Cookie cookie && !allowsCookieDomain(allowedHosts, cookie.domain())) {
                throw new InvalidDefinitionException("extract." + name + ".domain", "the cookie's domain "
                        + Quote.of(cookie.domain()) + " is not within allowedHosts " + allowedHosts);
            }
        }
        if (timeoutSeconds < 10 || timeoutSeconds > 3600) {
            throw new InvalidDefinitionException("timeoutSeconds",
                    "must be between 10 and 3600, got " + timeoutSeconds);
        }
        if (!allowsHost(allowedHosts, loginUrl.getHost())) {
            throw new InvalidDefinitionException("loginUrl",
                    "its host " + Quote.of(loginUrl.getHost()) + " is not in allowedHosts");
        }
        if (check != null) {
            requireSessionCheck(check, allowedHosts, extract.keySet());
        }
    }

    /** Settings without SSO tenants. */
    public BrowserAuthSettings(URI loginUrl, List<String> allowedHosts, Pattern readyWhen, Map<String, Extraction> extract,
            int timeoutSeconds, SessionCheck check) {
        this(loginUrl, allowedHosts, readyWhen, extract, timeoutSeconds, check, List.of());
    }

    /** Settings without a session check or SSO tenants. */
    public BrowserAuthSettings(URI loginUrl, List<String> allowedHosts, Pattern readyWhen, Map<String, Extraction> extract,
            int timeoutSeconds) {
        this(loginUrl, allowedHosts, readyWhen, extract, timeoutSeconds, null, List.of());
    }

    /** Whether {@code host} is under one of the {@code ssoHosts} wildcards (allowed after a redirect only). */
    public boolean isSsoHost(String host) {
        return HostPatterns.matches(ssoHosts, host);
    }

    /** A cookie domain ({@code .slack.com}: the host and its sub-domains) is within the allowed hosts when its host is allowed. */
    private static boolean allowsCookieDomain(List<String> allowed, String domain) {
        return allowsHost(allowed, domain.startsWith(".") ? domain.substring(1) : domain);
    }

    /** The check sends the session only to the service's own hosts, and only values the window reads. */
    private static void requireSessionCheck(SessionCheck check, List<String> allowedHosts, java.util.Set<String> names) {
        if (!allowsHost(allowedHosts, check.url().getHost())) {
            throw new InvalidDefinitionException("check.url",
                    "its host " + Quote.of(check.url().getHost()) + " is not in allowedHosts");
        }
        for (String placeholder : check.placeholders()) {
            if (!names.contains(placeholder)) {
                throw new InvalidDefinitionException("check.headers", "${" + placeholder
                        + "} is not one of the extract names " + new java.util.TreeSet<>(names));
            }
        }
    }

    /** Whether the login window may navigate to {@code host}: an exact entry, or a {@code *.suffix} entry it ends with. */
    public boolean allowsHost(String host) {
        return allowsHost(allowedHosts, host);
    }

    /** Whether the page at {@code url} shows a signed-in user, so extraction can run. */
    public boolean isReady(String url) {
        return url != null && readyWhen.matcher(url).find();
    }

    private static boolean allowsHost(List<String> allowed, String host) {
        return HostPatterns.matches(allowed, host);
    }
}
