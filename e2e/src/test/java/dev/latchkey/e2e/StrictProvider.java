package dev.latchkey.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A strict local authorization server, where mock-oauth2-server is lax or cannot misbehave on
 * purpose: it checks the client secret, PKCE S256 and single-use codes and refresh tokens
 * (rotation: a used refresh token is dead), and can answer 500, hang, or {@code invalid_grant}.
 * {@code /authorize} signs the user in at once and redirects back with a code.
 */
final class StrictProvider implements AutoCloseable {

    /** How the token endpoint behaves. */
    enum Mode { NORMAL, FAIL_500, HANG, INVALID_GRANT }

    static final String CLIENT_ID = "strict-public-id";
    static final String CLIENT_SECRET = "strict-client-secret-held-by-the-proxy";

    private final HttpServer server;
    private final Map<String, String> challenges = new ConcurrentHashMap<>();
    private final Set<String> liveRefreshTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger refreshCalls = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    volatile Mode mode = Mode.NORMAL;
    /** Seconds until an access token expires; what {@code expires_in} says. */
    volatile long expiresIn = 3600;
    /** Whether a refresh answers a new refresh token (rotation) or none (the old one stays valid). */
    volatile boolean rotate = true;
    /** How long each token answer takes, to let callers overlap. */
    volatile long delayMillis = 0;
    /** How long a refresh answer takes on top of that, to let a refresh overlap a sign-in. */
    volatile long refreshDelayMillis = 0;

    StrictProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int refreshCalls() {
        return refreshCalls.get();
    }

    int peakInFlight() {
        return peakInFlight.get();
    }

    /** A refresh token this server will accept once, for seeding connections without a sign-in. */
    String newRefreshToken() {
        String token = "strict-rt-" + issued.incrementAndGet() + "-" + java.util.UUID.randomUUID();
        liveRefreshTokens.add(token);
        return token;
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        if (!"S256".equals(query.get("code_challenge_method")) || !CLIENT_ID.equals(query.get("client_id"))) {
            send(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = "strict-code-" + java.util.UUID.randomUUID();
        challenges.put(code, query.get("code_challenge"));
        String location = query.get("redirect_uri") + "?code=" + encode(code) + "&state=" + encode(query.get("state"));
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        peakInFlight.accumulateAndGet(now, Math::max);
        Mode answering = mode; // as it was when the call came, however long it then waits
        try {
            Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if ("refresh_token".equals(form.get("grant_type"))) {
                refreshCalls.incrementAndGet();
                Thread.sleep(refreshDelayMillis);
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            switch (answering) {
                case HANG -> Thread.sleep(30_000);
                case FAIL_500 -> send(exchange, 500, "{\"error\":\"server_error\"}");
                case INVALID_GRANT -> send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"the grant was revoked\"}");
                case NORMAL -> answer(exchange, form);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private void answer(HttpExchange exchange, Map<String, String> form) throws IOException {
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            send(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        switch (form.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                String challenge = challenges.remove(form.getOrDefault("code", ""));
                if (challenge == null || !challenge.equals(s256(form.getOrDefault("code_verifier", "")))) {
                    send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"bad code or verifier\"}");
                    return;
                }
                send(exchange, 200, tokens(newRefreshToken()));
            }
            case "refresh_token" -> {
                String refreshToken = form.getOrDefault("refresh_token", "");
                if (!liveRefreshTokens.contains(refreshToken)) {
                    send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"unknown refresh token\"}");
                    return;
                }
                if (rotate) {
                    liveRefreshTokens.remove(refreshToken);
                    send(exchange, 200, tokens(newRefreshToken()));
                } else {
                    send(exchange, 200, tokens(null));
                }
            }
            default -> send(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
        }
    }

    private String tokens(String refreshToken) {
        String accessToken = "strict-at-" + issued.incrementAndGet() + "-" + java.util.UUID.randomUUID();
        return "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                + (refreshToken == null ? "" : ",\"refresh_token\":\"" + refreshToken + "\"") + "}";
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    static Map<String, String> parse(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return values;
        }
        for (String pair : form.split("&")) {
            int equals = pair.indexOf('=');
            values.put(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                    equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
