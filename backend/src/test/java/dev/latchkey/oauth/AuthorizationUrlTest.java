package dev.latchkey.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.provider.AuthorizeIn;
import dev.latchkey.provider.OAuthSettings;
import dev.latchkey.provider.Redirect;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizationUrlTest {

    private static final Pkce PKCE = new Pkce("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    private static final URI LOOPBACK = URI.create("http://127.0.0.1:39145/oauth/callback");

    @Test
    void joins_the_scopes_with_the_providers_separator_and_adds_its_own_parameters() {
        OAuthSettings linear = settings(List.of("read", "write"), ",", Map.of("actor", "user", "prompt", "consent"));

        URI url = AuthorizationUrl.build(linear, "client-1", LOOPBACK, "39145.state", PKCE);

        assertThat(url.toString()).isEqualTo("https://auth.example.com/authorize?response_type=code&client_id=client-1"
                + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A39145%2Foauth%2Fcallback&scope=read%2Cwrite&state=39145.state"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
                + "&actor=user&prompt=consent");
    }

    @Test
    void encodes_a_space_separator_as_percent_20_and_leaves_out_an_empty_scope() {
        assertThat(AuthorizationUrl.build(settings(List.of("openid", "email"), " ", Map.of()), "c", LOOPBACK, "s", PKCE)
                .getRawQuery()).contains("&scope=openid%20email&");
        assertThat(AuthorizationUrl.build(settings(List.of(), " ", Map.of("user_scope", "chat:write")), "c", LOOPBACK, "s",
                PKCE).getRawQuery()).doesNotContain("scope=&").endsWith("&user_scope=chat%3Awrite");
    }

    private static OAuthSettings settings(List<String> scopes, String separator, Map<String, String> params) {
        return new OAuthSettings(URI.create("https://auth.example.com/authorize"), scopes, separator, true, "", params,
                Redirect.LOOPBACK, AuthorizeIn.SYSTEM, true);
    }
}
