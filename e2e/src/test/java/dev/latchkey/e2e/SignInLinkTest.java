package dev.latchkey.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one-time loopback link ({@code /oauth/go/<opaque>}) that the page, the app window and
 * {@code xdg-open} open instead of the authorization URL, whose state and PKCE challenge would
 * otherwise sit on a command line every local user can read.
 */
class SignInLinkTest extends WithOAuthWorld {

    private SteppingBrowser browser;

    @BeforeEach
    void setUp() {
        browser = new SteppingBrowser(world);
    }

    @Test
    void the_sign_in_link_is_opaque_and_redirects_once_to_the_authorization_url() throws Exception {
        JsonNode started = world.json(world.installOAuth("acme"));
        String link = started.path("signInUrl").asText();
        String authorizationUrl = started.path("authorizationUrl").asText();

        assertThat(link).matches("http://127\\.0\\.0\\.1:" + world.appPort + "/oauth/go/[A-Za-z0-9_-]{43}");
        HttpResponse<String> first = step(link);
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Location")).contains(authorizationUrl);

        HttpResponse<String> second = step(link);
        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(second.body()).contains("This sign-in link cannot be used")
                .contains("It was used already or has expired").doesNotContain(authorizationUrl);
    }

    @Test
    void an_unknown_sign_in_link_answers_a_page_saying_so() throws Exception {
        HttpResponse<String> page = step("http://127.0.0.1:" + world.appPort + "/oauth/go/not-a-link");

        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("This sign-in link cannot be used");
    }

    @Test
    void following_the_sign_in_link_like_a_browser_signs_in() {
        world.nextSignIn("grace", "grace@example.com");
        JsonNode started = world.json(world.installOAuth("acme"));

        HttpResponse<String> page = world.browse(started.path("signInUrl").asText());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("E2E acme is connected as grace@example.com.");
    }

    private HttpResponse<String> step(String url) {
        return browser.get(URI.create(url));
    }
}
