package dev.latchkey.remote;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's {@code WWW-Authenticate: Bearer …} challenge (RFC 6750 §3), the parameters MCP
 * authorization reads from it: {@code resource_metadata} (RFC 9728 §5.1), {@code scope} and
 * {@code error} (e.g. {@code insufficient_scope} on a 403, RFC 6750 §3.1).
 *
 * @param params the challenge's auth-params, names in lower case; empty when none was sent
 */
record Challenge(Map<String, String> params) {

    private static final Pattern PARAM = Pattern.compile(
            "([A-Za-z0-9_\\-]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,]+))");

    static final Challenge NONE = new Challenge(Map.of());

    Challenge {
        params = Map.copyOf(params);
    }

    /** The Bearer challenge among the header values; {@link #NONE} when there is none. */
    static Challenge parse(List<String> headerValues) {
        for (String value : headerValues) {
            String trimmed = value.trim();
            if (trimmed.regionMatches(true, 0, "Bearer", 0, 6)) {
                Map<String, String> params = new LinkedHashMap<>();
                Matcher matcher = PARAM.matcher(trimmed.substring(6));
                while (matcher.find()) {
                    String quoted = matcher.group(2);
                    params.putIfAbsent(matcher.group(1).toLowerCase(),
                            quoted != null ? quoted.replaceAll("\\\\(.)", "$1") : matcher.group(3));
                }
                return new Challenge(params);
            }
        }
        return NONE;
    }

    /** The protected-resource metadata URL the server names, when it is an absolute http(s) URL. */
    Optional<URI> resourceMetadata() {
        String value = params.get("resource_metadata");
        if (value == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The scopes the server asks for, space-separated as sent; empty when it named none. */
    Optional<String> scope() {
        return Optional.ofNullable(params.get("scope")).map(String::trim).filter(s -> !s.isEmpty());
    }

    boolean insufficientScope() {
        return "insufficient_scope".equals(params.get("error"));
    }

    /** The server's error code and description, cut to something safe to show. */
    String errorText() {
        String error = params.getOrDefault("error", "");
        String description = params.getOrDefault("error_description", "");
        String text = (error + (description.isEmpty() ? "" : ": " + description)).replaceAll("[\\p{Cntrl}]", " ");
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
