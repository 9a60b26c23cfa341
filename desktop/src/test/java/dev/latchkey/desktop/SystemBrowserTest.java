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
}
