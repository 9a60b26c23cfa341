package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemBrowserTest {

    @TempDir
    Path dataDir;

    private Path links;

    @BeforeEach
    void folder() {
        links = dataDir.resolve("browser-links");
    }

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
        assertThatThrownBy(() -> SystemBrowser.open("file:///etc/passwd", links))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("only http(s) pages go to the system browser, not \"file:///etc/passwd\"");
    }

    @Test
    void never_puts_an_authorization_url_with_its_pkce_challenge_on_a_command_line() {
        String authorize = "https://accounts.example.test/authorize?client_id=1&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

        assertThat(SystemBrowser.carriesSignInSecrets(authorize)).isTrue();
        assertThat(SystemBrowser.carriesSignInSecrets("http://127.0.0.1:4711/oauth/go/abc")).isFalse();
        assertThatThrownBy(() -> SystemBrowser.open(authorize, links))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an OAuth authorization URL (it carries a PKCE code_challenge) never goes on xdg-open's "
                        + "command line, which every local user can read; open its one-time /oauth/go link instead");
    }

    @Test
    void a_forwarding_page_is_owner_only_escapes_its_url_and_is_gone_once_the_url_has_expired() throws Exception {
        String url = "http://127.0.0.1:4711/?code=abc&x=\"><script>";

        ForwardingPage page = ForwardingPage.write(links, url, Duration.ofMillis(300));

        assertThat(page.url()).startsWith("file:///").doesNotContain("code");
        assertThat(Path.of(URI.create(page.url()))).isEqualTo(page.file());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(page.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(links))).isEqualTo("rwx------");
        assertThat(Files.readString(page.file()))
                .contains("<meta http-equiv=\"refresh\" content=\"0; url=http://127.0.0.1:4711/?code=abc&amp;x=&quot;&gt;&lt;script&gt;\">")
                .contains("<a href=\"http://127.0.0.1:4711/?code=abc&amp;x=&quot;&gt;&lt;script&gt;\">")
                .doesNotContain("<script>");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(page.file()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(page.file()).as("the page, after its lifetime").doesNotExist();
    }

    @Test
    void a_page_left_behind_by_a_killed_app_is_swept_by_the_next_one() throws Exception {
        ForwardingPage old = ForwardingPage.write(links, "http://127.0.0.1:4711/?code=old", Duration.ofHours(1));
        Files.setLastModifiedTime(old.file(), FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        ForwardingPage fresh = ForwardingPage.write(links, "http://127.0.0.1:4711/?code=new", Duration.ofHours(1));

        assertThat(old.file()).doesNotExist();
        assertThat(fresh.file()).exists();
    }
}
