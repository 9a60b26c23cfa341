package dev.latchkey.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one error body of the local API: a stable code, a sentence a person can act on, and the
 * input field at fault when there is one. Never carries a secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String field) {

    public ApiError(String error, String message) {
        this(error, message, null);
    }
}
