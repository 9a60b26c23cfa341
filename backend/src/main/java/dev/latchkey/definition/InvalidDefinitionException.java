package dev.latchkey.definition;

/**
 * A provider definition or catalog manifest breaks a rule. The message names the field and says
 * what was expected and what came, e.g. {@code authorizationUrl: must be an https URL, got "ftp://x"};
 * the loader puts the file in front of it.
 */
public final class InvalidDefinitionException extends RuntimeException {

    private final String field;

    public InvalidDefinitionException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The field at fault, as a dotted path inside the file, e.g. {@code browserAuth.readyWhen}. */
    public String field() {
        return field;
    }

    /** The same problem, one level further down: {@code browserAuth} + {@code readyWhen: …}. */
    public InvalidDefinitionException under(String parent) {
        String problem = getMessage().substring(field.length() + 2);
        return new InvalidDefinitionException(parent + "." + field, problem);
    }
}
