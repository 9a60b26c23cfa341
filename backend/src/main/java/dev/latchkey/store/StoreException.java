package dev.latchkey.store;

/** The store could not do what was asked: the database or a file under the data directory failed. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
