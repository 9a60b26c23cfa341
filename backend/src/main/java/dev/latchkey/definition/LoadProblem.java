package dev.latchkey.definition;

/**
 * A definition file that could not be loaded, and why. Shared by the provider registry and the MCP
 * catalog; listed by {@code GET /api/providers} and {@code GET /api/catalog} and printed at start-up.
 *
 * @param source  which file, e.g. {@code user providers/acme.json}
 * @param message what is wrong with it, naming the field, e.g. {@code authorizationUrl: must be an https URL, got "ftp://x"}
 */
public record LoadProblem(String source, String message) {

    /** One line for logs and the {@code doctor} command: {@code source: message}. */
    @Override
    public String toString() {
        return source + ": " + message;
    }
}
