package dev.latchkey.proxy;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One call from the proxy to a provider: method, URL, headers and a text body of a given type.
 * Headers and body carry the client secret and the user's code or token, so {@link #toString()}
 * shows only the method and the URL.
 */
record UpstreamRequest(String method, URI url, Map<String, String> headers, String contentType, String body) {

    static final String FORM = "application/x-www-form-urlencoded";

    UpstreamRequest {
        if (!method.equals("POST") && !method.equals("DELETE")) {
            throw new IllegalArgumentException("the proxy sends POST or DELETE to providers, not " + method);
        }
        Objects.requireNonNull(url, "url");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** A POST of form fields (RFC 6749 §4.1.3, RFC 7009 §2.1). */
    static UpstreamRequest postForm(URI url, Map<String, String> headers, Map<String, String> fields) {
        return new UpstreamRequest("POST", url, headers, FORM, UpstreamAnswer.form(fields));
    }

    @Override
    public String toString() {
        return "UpstreamRequest[" + method + " " + url + "]";
    }
}
