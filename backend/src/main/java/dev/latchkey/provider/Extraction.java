package dev.latchkey.provider;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Quote;

/**
 * How a browser-login provider reads one value once the user is signed in: a JavaScript
 * expression run in the page (localStorage, page state), or a cookie read through the browser's
 * cookie store, which also sees HttpOnly cookies.
 */
public sealed interface Extraction permits Extraction.Script, Extraction.Cookie {

    /**
     * A JavaScript expression, evaluated in the signed-in page, that returns the value as a string
     * (or null/empty while it is not there yet).
     */
    record Script(String script) implements Extraction {

        public Script {
            if (script == null || script.isBlank()) {
                throw new InvalidDefinitionException("script", "must be a JavaScript expression, got " + Quote.of(script));
            }
        }
    }

    /**
     * A cookie by name and domain, e.g. Slack's {@code d} on {@code .slack.com}.
     *
     * @param cookie the cookie's name
     * @param domain the domain the cookie is set on, as the browser stores it (a leading dot means sub-domains too)
     */
    @JsonPropertyOrder({"cookie", "domain"})
    record Cookie(String cookie, String domain) implements Extraction {

        public Cookie {
            if (cookie == null || !cookie.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new InvalidDefinitionException("cookie", "must be a cookie name, got " + Quote.of(cookie));
            }
            if (domain == null || !domain.matches("\\.?[a-z0-9-]+(\\.[a-z0-9-]+)+")) {
                throw new InvalidDefinitionException("domain",
                        "must be a host name such as \".slack.com\", got " + Quote.of(domain));
            }
        }
    }
}
