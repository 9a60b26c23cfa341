package dev.latchkey.remote;

import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import java.util.Optional;

/**
 * Reads what a failed call to a remote server means from the SDK's exception chain: a sign-in
 * that could not go on ({@link RemoteAuthException}), a refusal that stayed after the one retry
 * (the SDK's authorization exception), or an old server that does not speak Streamable HTTP.
 */
public final class RemoteFailure {

    private RemoteFailure() {
    }

    /** The sign-in problem inside {@code e}, when there is one. */
    public static Optional<RemoteAuthException> authCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RemoteAuthException auth) {
                return Optional.of(auth);
            }
            if (t instanceof McpHttpClientTransportAuthorizationException refused) {
                int status = refused.getResponseInfo() == null ? 0 : refused.getResponseInfo().statusCode();
                String challenge = refused.getResponseInfo() == null ? ""
                        : Challenge.parse(refused.getResponseInfo().headers().allValues("WWW-Authenticate")).errorText();
                return Optional.of(new RemoteAuthException(RemoteAuthException.Reason.STILL_REFUSED,
                        "the server refused Latchkey's token again (HTTP " + status
                                + (challenge.isEmpty() ? "" : ": " + challenge) + "); sign in again"));
            }
        }
        return Optional.empty();
    }

    /** Whether the Streamable HTTP POST was refused as an old HTTP+SSE server refuses it (400, 404, 405). */
    static boolean oldServer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("Status code: 405") || message.contains("Status code:404")
                    || message.contains("Status code: 404") || message.contains("Status code:400")
                    || message.contains("Status code: 400") || message.contains("Method Not Allowed")) {
                return true;
            }
        }
        return false;
    }

    /** One line for a person: the sign-in's sentence, else the deepest message. */
    public static String sentence(Throwable e) {
        Optional<RemoteAuthException> auth = authCause(e);
        if (auth.isPresent()) {
            return auth.get().getMessage();
        }
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        return deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage();
    }
}
