package dev.latchkey.login;

import dev.latchkey.provider.Extraction;
import dev.latchkey.provider.ProviderDefinition;
import java.util.Map;
import java.util.Optional;

/** A sign-in's outcome in words for the install's reason, and the last check of its values: never a value. */
final class Outcomes {

    private Outcomes() {
    }

    /** The outcome in words for the install's reason: never a value. */
    static String describe(LoginOutcome outcome, ProviderDefinition provider) {
        if (outcome instanceof LoginOutcome.Cancelled) {
            return "the login window was closed.";
        }
        if (outcome instanceof LoginOutcome.TimedOut timedOut) {
            return "it timed out after " + timedOut.after().toSeconds() + " s waiting for " + timedOut.waitingFor() + ".";
        }
        if (outcome instanceof LoginOutcome.Blocked blocked) {
            String more = blocked.refused().size() > 1 ? " (and " + (blocked.refused().size() - 1) + " more)" : "";
            return "the login window refused " + blocked.refused().get(blocked.refused().size() - 1) + more
                    + ", which is not an allowed host of " + provider.displayName()
                    + "; if your sign-in needs that host, add it to the provider's allowedHosts.";
        }
        if (outcome instanceof LoginOutcome.Failed failed) {
            return failed.reason().endsWith(".") ? failed.reason() : failed.reason() + ".";
        }
        throw new IllegalStateException("an outcome with values has no failure to describe");
    }

    /** The first value that is missing or not of its shape, as words; checked again here before anything is stored. */
    static Optional<String> wrongShape(ProviderDefinition provider, Map<String, String> values) {
        for (Map.Entry<String, Extraction> entry : provider.browserAuth().extract().entrySet()) {
            if (!entry.getValue().accepts(values.get(entry.getKey()))) {
                return Optional.of("no proper \"" + entry.getKey() + "\"");
            }
        }
        return Optional.empty();
    }
}
