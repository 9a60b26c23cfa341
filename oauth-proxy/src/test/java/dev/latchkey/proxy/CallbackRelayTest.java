package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTPS callback that relays code and state to the desktop's loopback listener. */
class CallbackRelayTest {

    private static final String STATE = "53682.E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static RunningProxy proxy;

    @BeforeAll
    static void start() {
        proxy = RunningProxy.start(Map.of("SLACK_CLIENT_ID", "id", "SLACK_CLIENT_SECRET", "secret"));
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static void assertPrivatePage(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .contains("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        assertThat(response.headers().firstValue("Content-Type")).contains("text/html;charset=utf-8");
        assertThat(response.body()).doesNotContain("http", "<script", "src=");
    }

    @Test
    void relays_code_and_state_to_the_loopback_port_named_in_the_state() {
        HttpResponse<String> response = proxy.get("/oauth/callback/slack?code=1234.abc&state=" + STATE);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location"))
                .contains("http://127.0.0.1:53682/oauth/callback?code=1234.abc&state=" + STATE);
        assertPrivatePage(response);
    }

    @Test
    void relays_an_error_with_its_description_and_drops_every_other_parameter() {
        HttpResponse<String> response = proxy.get("/oauth/callback/slack?error=access_denied"
                + "&error_description=The+user+said+no&state=" + STATE + "&team=T123&utm_source=x");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).contains("http://127.0.0.1:53682/oauth/callback?state="
                + STATE + "&error=access_denied&error_description=The+user+said+no");
    }

    @Test
    void refuses_a_state_whose_prefix_is_not_a_port_with_a_plain_page() {
        HttpResponse<String> response = proxy.get("/oauth/callback/slack?code=c&state=evil.com."
                + STATE.substring(6));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains("<h1>This sign-in cannot continue</h1>",
                "The state does not start with a loopback port of the Latchkey app "
                        + "(expected &lt;port 1024-65535&gt;.&lt;43 characters&gt;), so this sign-in cannot be returned to it.");
        assertPrivatePage(response);
    }

    @Test
    void refuses_a_privileged_or_out_of_range_port() {
        assertThat(proxy.get("/oauth/callback/slack?code=c&state=0443." + STATE.substring(6)).statusCode()).isEqualTo(400);
        assertThat(proxy.get("/oauth/callback/slack?code=c&state=70000." + STATE.substring(6)).statusCode()).isEqualTo(400);
    }

    @Test
    void refuses_a_callback_without_state_or_without_code_and_error() {
        assertThat(proxy.get("/oauth/callback/slack?code=c").body()).contains("The state parameter is missing");
        assertThat(proxy.get("/oauth/callback/slack?state=" + STATE).body()).contains("The provider sent neither a code nor an error.");
    }

    @Test
    void refuses_a_code_given_twice() {
        HttpResponse<String> response = proxy.get("/oauth/callback/slack?code=a&code=b&state=" + STATE);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("code is given more than once.");
    }

    @Test
    void refuses_a_provider_it_does_not_serve() {
        HttpResponse<String> response = proxy.get("/oauth/callback/notion?code=c&state=" + STATE);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("This proxy does not serve notion.");
    }

    /**
     * The relay only redirects the browser; it must not call the port itself, for instance by
     * exchanging the code at the callback. Here the provider's own token endpoint is that port, so
     * the proxy's upstream client, the one part of it that opens connections, has a path to it.
     */
    @Test
    void never_connects_to_the_loopback_port_itself() throws IOException {
        try (ServerSocket desktop = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             RunningProxy proxy = RunningProxy.start(Map.of("SLACK_CLIENT_ID", "id", "SLACK_CLIENT_SECRET", "secret",
                     "SLACK_TOKEN_URL", "http://127.0.0.1:" + desktop.getLocalPort() + "/oauth/callback"))) {
            desktop.setSoTimeout(1000);
            String state = desktop.getLocalPort() + "." + STATE.substring(6);

            HttpResponse<String> response = proxy.get("/oauth/callback/slack?code=c&state=" + state);

            assertThat(response.statusCode()).isEqualTo(303);
            boolean contacted;
            try (var ignored = desktop.accept()) {
                contacted = true;
            } catch (SocketTimeoutException e) {
                contacted = false;
            }
            assertThat(contacted).as("the proxy connected to the desktop's port").isFalse();
        }
    }
}
