package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole exchange, refresh, revocation, callback and failed exchange with the proxy logging
 * at DEBUG (set for every test run in the pom) and looks for every secret in what it logged.
 */
class LogCaptureTest {

    @Test
    void logs_no_secret_code_verifier_state_or_token_during_a_full_exchange_at_debug() {
        assertThat(LoggerFactory.getLogger(ProxyServer.class).isDebugEnabled()).as("the proxy logs at DEBUG").isTrue();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> secrets = new java.util.ArrayList<>();
        try (AuthorizationServer authServer = new AuthorizationServer()) {
            Map<String, String> env = new HashMap<>(authServer.providerEnv("google"));
            String clientSecret = env.get("GOOGLE_CLIENT_SECRET");
            secrets.add(clientSecret);
            String verifier = AuthorizationServer.newVerifier();
            String code = authServer.authorize(verifier);
            String state = "53682.E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
            secrets.addAll(List.of(verifier, code, state));
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (RunningProxy proxy = RunningProxy.start(env)) {
                HttpResponse<String> tokens = proxy.postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                        "provider", "google", "code", code, "redirect_uri", AuthorizationServer.REDIRECT_URI, "code_verifier", verifier));
                String accessToken = RunningProxy.json(tokens).path("access_token").asText();
                String refreshToken = RunningProxy.json(tokens).path("refresh_token").asText();
                HttpResponse<String> refreshed = proxy.postForm("/oauth/token",
                        Map.of("grant_type", "refresh_token", "provider", "google", "refresh_token", refreshToken));
                String newAccessToken = RunningProxy.json(refreshed).path("access_token").asText();
                HttpResponse<String> revoked = proxy.postForm("/oauth/revoke",
                        Map.of("provider", "google", "token", refreshToken, "token_type_hint", "refresh_token"));
                HttpResponse<String> relayed = proxy.get("/oauth/callback/google?code=" + code + "&state=" + state);
                HttpResponse<String> wrongVerifier = proxy.postForm("/oauth/token", Map.of("grant_type", "authorization_code",
                        "provider", "google", "code", authServer.authorize(verifier), "redirect_uri", AuthorizationServer.REDIRECT_URI,
                        "code_verifier", verifier.substring(1) + "x"));
                secrets.addAll(List.of(accessToken, refreshToken, newAccessToken));

                assertThat(List.of(tokens.statusCode(), refreshed.statusCode(), revoked.statusCode(),
                        relayed.statusCode(), wrongVerifier.statusCode())).containsExactly(200, 200, 200, 303, 400);
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).as("the capture saw the proxy's debug lines").contains(
                "DEBUG dev.latchkey.proxy.ProxyServer - google code answered in",
                "DEBUG dev.latchkey.proxy.ProxyServer - google refresh answered in",
                "DEBUG dev.latchkey.proxy.ProxyServer - google revocation done",
                "DEBUG dev.latchkey.proxy.ProxyServer - google callback relayed to loopback port 53682",
                "INFO dev.latchkey.proxy.ProxyServer - POST /oauth/token answered 400 invalid_grant");
        for (String secret : secrets) {
            assertThat(secret).hasSizeGreaterThan(20);
            assertThat(log).doesNotContain(secret);
        }
    }
}
