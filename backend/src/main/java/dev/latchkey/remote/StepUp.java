package dev.latchkey.remote;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The step-up rule of MCP authorization ("Scope Challenge Handling"), one for {@code remote-check}
 * and the app: a 403 {@code insufficient_scope} is answered with a sign-in for the scopes held and
 * the scopes the server names, and only when those add a scope not held yet. A server that still
 * answers 403 after that adds nothing, so it gets no second sign-in: the call ends with its error.
 */
final class StepUp {

    private StepUp() {
    }

    /** Whether a step-up to {@code challenge}'s scopes would ask for anything {@code held} does not. */
    static boolean widens(Optional<String> held, Challenge challenge) {
        Set<String> had = new LinkedHashSet<>(List.of(held.orElse("").split(" ")));
        return challenge.scope().map(s -> !had.containsAll(List.of(s.split(" ")))).orElse(false);
    }

    /** {@code held}'s scopes, then {@code wanted}'s not among them, space-separated (RFC 6749 §3.3). */
    static String union(Optional<String> held, String wanted) {
        Set<String> union = new LinkedHashSet<>();
        for (String scope : (held.orElse("") + " " + wanted).split(" ")) {
            if (!scope.isBlank()) {
                union.add(scope);
            }
        }
        return String.join(" ", union);
    }
}
