package dev.latchkey.browser;

import java.util.ArrayList;
import java.util.List;

/**
 * Chromium switches a QA engineer turns on to point a provider's real hosts at a staging or local
 * server: off by default, and announced loudly when on, because they weaken what the login
 * window may trust. Handed to the app window and every login window alike.
 *
 * @param hostResolverRules             Chromium's {@code --host-resolver-rules}, e.g.
 *                                      {@code MAP slack.com 127.0.0.1:8443}; null when off
 * @param ignoreCertificateErrorsSpkiList Chromium's {@code --ignore-certificate-errors-spki-list}: base64
 *                                      SHA-256 hashes of the public keys to trust; null when off
 */
public record QaSwitches(String hostResolverRules, String ignoreCertificateErrorsSpkiList) {

    public static final QaSwitches NONE = new QaSwitches(null, null);

    public QaSwitches {
        hostResolverRules = blankToNull(hostResolverRules);
        ignoreCertificateErrorsSpkiList = blankToNull(ignoreCertificateErrorsSpkiList);
    }

    public boolean on() {
        return hostResolverRules != null || ignoreCertificateErrorsSpkiList != null;
    }

    /** The Chromium command-line switches, empty when off. */
    public List<String> chromiumArguments() {
        List<String> arguments = new ArrayList<>();
        if (hostResolverRules != null) {
            arguments.add("--host-resolver-rules=" + hostResolverRules);
        }
        if (ignoreCertificateErrorsSpkiList != null) {
            arguments.add("--ignore-certificate-errors-spki-list=" + ignoreCertificateErrorsSpkiList);
        }
        return arguments;
    }

    /** The loud line to print when the switches are on; empty text when off. */
    public String announcement() {
        if (!on()) {
            return "";
        }
        return "WARNING: QA switches are on; browser windows resolve and trust hosts differently: "
                + String.join(" ", chromiumArguments());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
