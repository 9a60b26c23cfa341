package dev.latchkey.api;

/** A request refused at the HTTP edge, with the status and the body to answer. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final ApiError body;

    public ApiException(int status, String error, String message) {
        this(status, new ApiError(error, message));
    }

    public ApiException(int status, ApiError body) {
        super(body.message());
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public ApiError body() {
        return body;
    }
}
