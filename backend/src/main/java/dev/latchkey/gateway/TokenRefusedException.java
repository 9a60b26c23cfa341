package dev.latchkey.gateway;

/**
 * The gateway refused the bridge's client token (HTTP 401: the client was removed, its token
 * replaced, or it was never Latchkey's). Sending it again cannot help, so the bridge ends; the
 * message never holds the token.
 */
public final class TokenRefusedException extends RuntimeException {

    TokenRefusedException(Throwable cause) {
        super("the gateway refused the client token (HTTP 401)", cause);
    }
}
