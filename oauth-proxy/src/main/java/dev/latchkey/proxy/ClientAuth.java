package dev.latchkey.proxy;

import java.util.Locale;

/** How the proxy authenticates itself at a provider's token endpoint (RFC 6749 §2.3.1). */
public enum ClientAuth {
    /** {@code client_id} and {@code client_secret} in the form body ({@code client_secret_post}). */
    POST,
    /** HTTP Basic with the client id and secret ({@code client_secret_basic}). */
    BASIC;

    /** Parses the configuration words {@code post} and {@code basic}. */
    public static ClientAuth parse(String word, String variable) {
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "post" -> POST;
            case "basic" -> BASIC;
            default -> throw new IllegalArgumentException(
                    variable + " must be \"post\" or \"basic\", got \"" + word + "\"");
        };
    }
}
