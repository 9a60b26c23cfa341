package dev.latchkey.proxy;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTPS redirect target for providers that refuse a loopback redirect: it sends the browser on
 * to the desktop's loopback listener, {@code http://127.0.0.1:PORT/oauth/callback}, with the same
 * {@code code}, {@code state}, {@code error} and {@code error_description} and nothing else.
 *
 * <p>The port comes from the state, which the desktop makes as {@code <port>.<43 base64url chars>}.
 * The proxy trusts nothing else in it: the desktop still checks the whole state against its pending
 * sign-in, and the worst a forged state can do here is send a browser to another port of its own
 * machine's 127.0.0.1. The proxy never connects to that port itself. See docs/oauth-proxy.md.
 */
final class CallbackRelay {

    private static final Pattern STATE = Pattern.compile("([0-9]{4,5})\\.[A-Za-z0-9_-]{43}");
    private static final Map<String, Integer> RELAYED = orderedLimits();

    /** What the callback answers. */
    sealed interface Outcome permits Relay, Refusal {
    }

    /** Send the browser to {@code location}. */
    record Relay(URI location) implements Outcome {
        @Override
        public String toString() {
            return "Relay[to 127.0.0.1:" + location.getPort() + "]";
        }
    }

    /** Refuse with a plain page saying what is wrong. */
    record Refusal(int status, String message) implements Outcome {
    }

    private CallbackRelay() {
    }

    static Outcome relay(Map<String, List<String>> query) {
        Map<String, String> values = new LinkedHashMap<>();
        for (var parameter : RELAYED.entrySet()) {
            List<String> given = query.getOrDefault(parameter.getKey(), List.of());
            if (given.size() > 1) {
                return new Refusal(400, parameter.getKey() + " is given more than once.");
            }
            if (!given.isEmpty() && !given.get(0).isEmpty()) {
                String value = given.get(0);
                if (value.length() > parameter.getValue()) {
                    return new Refusal(400, parameter.getKey() + " is longer than " + parameter.getValue() + " characters.");
                }
                values.put(parameter.getKey(), value);
            }
        }
        String state = values.get("state");
        if (state == null) {
            return new Refusal(400, "The state parameter is missing, so there is no sign-in to return to.");
        }
        Matcher matcher = STATE.matcher(state);
        int port = matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
        if (port < 1024 || port > 65535) {
            return new Refusal(400, "The state does not start with a loopback port of the Latchkey app "
                    + "(expected <port 1024-65535>.<43 characters>), so this sign-in cannot be returned to it.");
        }
        if (!values.containsKey("code") && !values.containsKey("error")) {
            return new Refusal(400, "The provider sent neither a code nor an error.");
        }
        return new Relay(URI.create("http://127.0.0.1:" + port + "/oauth/callback?" + UpstreamAnswer.form(values)));
    }

    /** The relayed parameters, in the order they are sent on, with the longest value each may have. */
    private static Map<String, Integer> orderedLimits() {
        Map<String, Integer> limits = new LinkedHashMap<>();
        limits.put("code", 2048);
        limits.put("state", 128);
        limits.put("error", 128);
        limits.put("error_description", 1024);
        return limits;
    }
}
