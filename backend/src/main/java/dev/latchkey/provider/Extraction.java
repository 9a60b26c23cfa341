package dev.latchkey.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Quote;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a browser-login provider reads one value once the user is signed in: a JavaScript
 * expression run in the page (localStorage, page state), or a cookie read through the browser's
 * cookie store, which also sees HttpOnly cookies. An optional {@code shape} (a regular expression
 * the whole value must match, e.g. Slack's {@code xoxc-…}) tells a real value from a placeholder;
 * a value that does not match is treated as not there yet.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Extraction permits Extraction.Script, Extraction.Cookie {

    /** The regular expression the whole value must match, or null for any non-empty value. */
    String shape();

    /** Whether {@code value} is a value this extraction accepts: not empty, and of its {@code shape} when it has one. */
    default boolean accepts(String value) {
        return value != null && !value.isBlank() && (shape() == null || Pattern.compile(shape()).matcher(value).matches());
    }

    /**
     * A JavaScript expression, evaluated in the signed-in page, that returns the value as a string
     * (or null/empty while it is not there yet).
     */
    @JsonPropertyOrder({"script", "shape"})
    record Script(String script, String shape) implements Extraction {

        public Script {
            if (script == null || script.isBlank()) {
                throw new InvalidDefinitionException("script", "must be a JavaScript expression, got " + Quote.of(script));
            }
            checkShape(shape);
        }

        public Script(String script) {
            this(script, null);
        }
    }

    /**
     * A cookie by name and domain, e.g. Slack's {@code d} on {@code .slack.com}.
     *
     * @param cookie the cookie's name
     * @param domain the domain the cookie is set on, as the browser stores it (a leading dot means sub-domains too)
     */
    @JsonPropertyOrder({"cookie", "domain", "shape"})
    record Cookie(String cookie, String domain, String shape) implements Extraction {

        public Cookie {
            if (cookie == null || !cookie.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new InvalidDefinitionException("cookie", "must be a cookie name, got " + Quote.of(cookie));
            }
            if (domain == null || !domain.matches("\\.?[a-z0-9-]+(\\.[a-z0-9-]+)+")) {
                throw new InvalidDefinitionException("domain",
                        "must be a host name such as \".slack.com\", got " + Quote.of(domain));
            }
            checkShape(shape);
        }

        public Cookie(String cookie, String domain) {
            this(cookie, domain, null);
        }
    }

    private static void checkShape(String shape) {
        if (shape == null) {
            return;
        }
        try {
            Pattern.compile(shape);
        } catch (PatternSyntaxException e) {
            throw new InvalidDefinitionException("shape",
                    "must be a regular expression, got " + Quote.of(shape) + " (" + e.getDescription() + ")");
        }
    }
}
