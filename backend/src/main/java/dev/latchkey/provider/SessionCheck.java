package dev.latchkey.provider;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.definition.InvalidDefinitionException;
import dev.latchkey.definition.Placeholder;
import dev.latchkey.definition.Quote;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How Latchkey asks the service whether a stored browser session still works (docs/providers.md,
 * "Session check"): one HTTPS request built from the session's values, and what a healthy answer
 * looks like. E.g. Slack's {@code auth.test} with the {@code xoxc-} token and the {@code d} cookie
 * answers HTTP 200 with {@code "ok": true}, and names the team and user.
 *
 * @param url          https, on one of the provider's allowed hosts (checked by {@link BrowserAuthSettings})
 * @param method       {@code GET} or {@code POST} (sent with an empty body)
 * @param headers      header name → value; {@code ${name}} placeholders are the provider's extract names
 * @param healthyWhen  the answer of a working session
 * @param accountLabel top-level text fields of a healthy answer that name the account, joined by
 *                     {@code " · "} (e.g. the team and the user); empty for none. Never a secret.
 */
@JsonPropertyOrder({"url", "method", "headers", "healthyWhen", "accountLabel"})
public record SessionCheck(URI url, String method, Map<String, String> headers, HealthyWhen healthyWhen,
        List<String> accountLabel) {

    private static final String HEADER_NAME = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    public SessionCheck {
        OAuthSettings.requireHttps("url", url);
        if (!"GET".equals(method) && !"POST".equals(method)) {
            throw new InvalidDefinitionException("method", "must be \"GET\" or \"POST\", got " + Quote.of(method));
        }
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        for (String name : headers.keySet()) {
            if (!name.matches(HEADER_NAME)) {
                throw new InvalidDefinitionException("headers", "each name must be an HTTP header name, got " + Quote.of(name));
            }
        }
        Objects.requireNonNull(healthyWhen, "healthyWhen");
        accountLabel = List.copyOf(Objects.requireNonNull(accountLabel, "accountLabel"));
        for (String field : accountLabel) {
            if (field.isBlank()) {
                throw new InvalidDefinitionException("accountLabel", "each entry must be a field name of the answer, got \"\"");
            }
        }
    }

    /** The placeholder names its headers use, sorted: each must be an extract name. */
    public Set<String> placeholders() {
        Set<String> names = new TreeSet<>();
        headers.values().forEach(value -> names.addAll(Placeholder.names(value)));
        return names;
    }

    /** The headers with the session's values filled in. */
    public Map<String, String> headers(Map<String, String> values) {
        Map<String, String> filled = new LinkedHashMap<>();
        headers.forEach((name, value) -> filled.put(name, Placeholder.fill(value, key -> values.getOrDefault(key, ""))));
        return filled;
    }

    /** Who is signed in, from a healthy answer's {@link #accountLabel} fields; null when it names no one. */
    public String accountLabel(JsonNode answer) {
        List<String> parts = new ArrayList<>();
        for (String field : accountLabel) {
            JsonNode value = answer == null ? null : answer.get(field);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                parts.add(value.asText().strip());
            }
        }
        String label = String.join(" · ", parts);
        return label.isEmpty() ? null : label.length() > 300 ? label.substring(0, 300) : label;
    }

    /**
     * The answer of a working session.
     *
     * @param status the HTTP status
     * @param json   top-level fields of the JSON body and the value each must have (e.g. {@code "ok": true});
     *               empty when the status alone tells
     */
    @JsonPropertyOrder({"status", "json"})
    public record HealthyWhen(int status, Map<String, JsonNode> json) {

        public HealthyWhen {
            if (status < 200 || status > 299) {
                throw new InvalidDefinitionException("status", "must be a success status (200 to 299), got " + status);
            }
            json = Map.copyOf(Objects.requireNonNull(json, "json"));
            for (Map.Entry<String, JsonNode> field : json.entrySet()) {
                if (!field.getValue().isValueNode()) {
                    throw new InvalidDefinitionException("json." + field.getKey(),
                            "must be a text, number, true, false or null, got " + ProviderParser.kindOf(field.getValue()));
                }
            }
        }

        /**
         * What is wrong with an answer, in words that never quote the body beyond the fields
         * named here; empty when it is the answer of a working session.
         */
        public java.util.Optional<String> problem(int answeredStatus, JsonNode body) {
            if (answeredStatus != status) {
                return java.util.Optional.of("it answered HTTP " + answeredStatus + " instead of " + status);
            }
            for (Map.Entry<String, JsonNode> field : json.entrySet()) {
                JsonNode got = body == null ? null : body.get(field.getKey());
                if (got == null || !got.equals(field.getValue())) {
                    // Only a yes/no, a number or null is quoted back: any other field might hold a secret.
                    boolean sayable = got != null && (got.isBoolean() || got.isNumber() || got.isNull());
                    return java.util.Optional.of("its answer had " + (sayable ? "\"" + field.getKey() + "\": " + got
                            : "no proper \"" + field.getKey() + "\"") + " instead of " + field.getValue());
                }
            }
            return java.util.Optional.empty();
        }
    }
}
