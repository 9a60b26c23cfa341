package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SystemBrowserTest {

    @Test
    void hands_on_http_and_https_pages_only() {
        assertThat(SystemBrowser.accepts("https://slack.com/oauth/v2/authorize?client_id=1&state=s")).isTrue();
        assertThat(SystemBrowser.accepts("HTTP://127.0.0.1:8787/start")).isTrue();

        assertThat(SystemBrowser.accepts("file:///etc/passwd")).isFalse();
        assertThat(SystemBrowser.accepts("javascript:alert(1)")).isFalse();
        assertThat(SystemBrowser.accepts("data:text/html,<b>hi</b>")).isFalse();
        assertThat(SystemBrowser.accepts("about:blank")).isFalse();
        assertThat(SystemBrowser.accepts("https:///no-host")).isFalse();
        assertThat(SystemBrowser.accepts("/relative/path")).isFalse();
        assertThat(SystemBrowser.accepts("")).isFalse();
        assertThat(SystemBrowser.accepts("https://bad host/")).isFalse();
    }

    @Test
    void refuses_to_open_anything_but_a_web_page() {
        assertThatThrownBy(() -> SystemBrowser.open("file:///etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("only http(s) pages go to the system browser, not \"file:///etc/passwd\"");
    }

    @Test
    void never_puts_an_authorization_url_with_its_pkce_challenge_on_a_command_line() {
        String authorize = "https://accounts.example.test/authorize?client_id=1&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

        assertThat(SystemBrowser.carriesSignInSecrets(authorize)).isTrue();
        assertThat(SystemBrowser.carriesSignInSecrets("http://127.0.0.1:4711/oauth/go/abc")).isFalse();
        assertThatThrownBy(() -> SystemBrowser.open(authorize))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an OAuth authorization URL (it carries a PKCE code_challenge) never goes on xdg-open's "
                        + "command line, which every local user can read; open its one-time /oauth/go link instead");
    }
}
