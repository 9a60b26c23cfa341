import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One client: a kept-alive HTTP/1.1 connection with blocking reads, so the load generator costs
 * as little CPU as possible and the same for both targets.
 */
final class KeepAliveClient {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    KeepAliveClient(int port) throws IOException {
        this(port, 30_000);
    }

    KeepAliveClient(int port, int timeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends the request and reads the whole answer; true when it is a 200 with the token. */
    boolean exchange(byte[] request) throws IOException {
        return status(request) == 200;
    }

    /** Sends the exchange and reads the whole answer: its status, or 0 for a 200 without the token. */
    int status(byte[] request) throws IOException {
        String[] answer = answer(request);
        int status = Integer.parseInt(answer[0].substring(9, 12));
        return status == 200 && !answer[1].contains("at-bench") ? 0 : status;
    }

    /** Sends the request and reads the whole answer; its body when it is a 200, else null. */
    String call(byte[] request) throws IOException {
        String[] answer = answer(request);
        return answer[0].startsWith("HTTP/1.1 200") ? answer[1] : null;
    }

    /** Status line and body. */
    private String[] answer(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String status = line();
        int length = -1;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length in the answer");
        }
        return new String[] {status, new String(in.readNBytes(length), StandardCharsets.UTF_8)};
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    void close() throws IOException {
        socket.close();
    }
}
