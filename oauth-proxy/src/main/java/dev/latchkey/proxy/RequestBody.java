package dev.latchkey.proxy;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** The form body of a request to the proxy, read up to {@link #MAX_BODY_BYTES}. */
final class RequestBody {

    /** A token request is a few hundred bytes; this leaves room for long codes and refresh tokens. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    /** How much of a refused body is still read, so the client hears the 413; more and the connection is cut. */
    static final int DRAIN_LIMIT = 1024 * 1024;

    private RequestBody() {
    }

    /**
     * Reads the body up to the limit, whether or not the client declared its length. A declared
     * length sizes the read, so a body of a few hundred bytes is not read through a buffer of
     * {@link InputStream#readNBytes(int)}'s 8 KB (one more byte is asked for than declared; Jetty
     * ends the stream at the declared length, so it only shows that the stream ended).
     */
    static Fields read(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge(ctx);
        }
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(declared >= 0 ? (int) declared + 1 : MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw OAuthError.invalidRequest("the request body could not be read").failure();
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge(ctx);
        }
        return Fields.parse(ctx.contentType(), bytes);
    }

    /**
     * The 413 for a body over the limit. What the client is still sending is read and dropped
     * first (up to {@link #DRAIN_LIMIT}): a server that closes with unread bytes resets the
     * connection, and the client would see the reset instead of the answer.
     */
    private static OAuthError.Failure tooLarge(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] sink = new byte[8192];
            long drained = 0;
            for (int n = in.read(sink); n >= 0 && drained < DRAIN_LIMIT; n = in.read(sink)) {
                drained += n;
            }
        } catch (IOException e) {
            // The client gave up sending; the answer below is all that is left to do.
        }
        return new OAuthError(413, "invalid_request", "the request body is larger than " + MAX_BODY_BYTES + " bytes")
                .failure();
    }
}
