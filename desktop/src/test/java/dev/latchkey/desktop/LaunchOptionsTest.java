package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.AppConfig;
import dev.latchkey.browser.QaSwitches;
import dev.latchkey.desktop.LaunchOptions.Shell;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static final Map<String, String> NO_DISPLAY = Map.of("XDG_DATA_HOME", "/data");
    private static final Map<String, String> X11 = Map.of("DISPLAY", ":99");

    @Test
    void defaults_to_any_free_port_the_xdg_data_dir_and_the_local_proxy() {
        LaunchOptions options = LaunchOptions.parse(List.of(), NO_DISPLAY);

        assertThat(options.command()).isEqualTo(LaunchOptions.Command.RUN);
        assertThat(options.config()).isEqualTo(new AppConfig(Path.of("/data/latchkey"), 0, URI.create("http://127.0.0.1:8787")));
    }

    @Test
    void a_sandbox_is_required_only_with_the_flag_or_latchkey_require_sandbox_1() {
        assertThat(LaunchOptions.parse(List.of(), NO_DISPLAY).config().requireSandbox()).isFalse();
        assertThat(LaunchOptions.parse(List.of("--require-sandbox"), NO_DISPLAY).config().requireSandbox()).isTrue();
        java.util.Map<String, String> env = new java.util.HashMap<>(NO_DISPLAY);
        env.put("LATCHKEY_REQUIRE_SANDBOX", "1");
        assertThat(LaunchOptions.parse(List.of(), env).config().requireSandbox()).isTrue();
        env.put("LATCHKEY_REQUIRE_SANDBOX", "0");
        assertThat(LaunchOptions.parse(List.of(), env).config().requireSandbox()).isFalse();
    }

    @Test
    void runs_headless_when_there_is_no_display() {
        assertThat(LaunchOptions.parse(List.of(), NO_DISPLAY).shell()).isEqualTo(Shell.HEADLESS);
        assertThat(LaunchOptions.parse(List.of("--browser", "system"), NO_DISPLAY).shell()).isEqualTo(Shell.HEADLESS);
        assertThat(LaunchOptions.parse(List.of("--headless"), X11).shell()).isEqualTo(Shell.HEADLESS);
    }

    @Test
    void shows_the_jcef_window_on_a_display_unless_the_system_browser_is_asked_for() {
        assertThat(LaunchOptions.parse(List.of(), X11).shell()).isEqualTo(Shell.WINDOW);
        assertThat(LaunchOptions.parse(List.of("--browser", "jcef"), X11).shell()).isEqualTo(Shell.WINDOW);
        assertThat(LaunchOptions.parse(List.of("--browser", "system"), X11).shell()).isEqualTo(Shell.SYSTEM_BROWSER);
    }

    @Test
    void uses_the_system_browser_on_wayland_without_x11_since_jcef_draws_through_x11() {
        assertThat(LaunchOptions.parse(List.of(), Map.of("WAYLAND_DISPLAY", "wayland-0")).shell()).isEqualTo(Shell.SYSTEM_BROWSER);
    }

    @Test
    void rejects_a_browser_it_does_not_know() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--browser", "firefox"), X11))
                .hasMessage("--browser: expected jcef or system, got \"firefox\"");
    }

    @Test
    void a_relative_data_dir_is_made_absolute_from_the_working_directory_and_normalized() {
        Path here = Path.of("").toAbsolutePath();

        LaunchOptions options = LaunchOptions.parse(List.of("--data-dir", "lk/../lk2/."), NO_DISPLAY);

        assertThat(options.config().dataDir()).isEqualTo(here.resolve("lk2"));
        assertThat(options.jcefDir()).isEqualTo(here.resolve("lk2/jcef"));
        assertThat(LaunchOptions.parse(List.of(), Map.of("LATCHKEY_JCEF_DIR", "cache/./jcef")).jcefDir())
                .isEqualTo(here.resolve("cache/jcef"));
    }

    @Test
    void a_relative_xdg_data_home_is_ignored_as_the_xdg_specification_asks() {
        assertThat(LaunchOptions.parse(List.of(), Map.of("XDG_DATA_HOME", "relative")).config().dataDir())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".local/share/latchkey"));
    }

    @Test
    void installs_the_embedded_browser_under_the_data_dir_unless_the_environment_names_a_shared_one() {
        assertThat(LaunchOptions.parse(List.of("--data-dir", "/tmp/lk"), X11).jcefDir()).isEqualTo(Path.of("/tmp/lk/jcef"));
        assertThat(LaunchOptions.parse(List.of("--data-dir", "/tmp/lk"), X11).browserCacheDir()).isEqualTo(Path.of("/tmp/lk/browser"));
        assertThat(LaunchOptions.parse(List.of("--data-dir", "/tmp/lk"), Map.of("LATCHKEY_JCEF_DIR", "/cache/jcef")).jcefDir())
                .isEqualTo(Path.of("/cache/jcef"));
    }

    @Test
    void qa_switches_are_off_by_default() {
        LaunchOptions options = LaunchOptions.parse(List.of(), X11);

        assertThat(options.qaSwitches()).isEqualTo(QaSwitches.NONE);
        assertThat(options.remoteDebuggingPort()).isZero();
        assertThat(options.qaWarnings()).isEmpty();
    }

    @Test
    void qa_switches_are_taken_from_flags_and_each_is_announced() {
        LaunchOptions options = LaunchOptions.parse(List.of("--remote-debugging-port", "9222",
                "--host-resolver-rules", "MAP app.slack.com 127.0.0.1:8443",
                "--ignore-certificate-errors-spki-list", "abc="), X11);

        assertThat(options.remoteDebuggingPort()).isEqualTo(9222);
        assertThat(options.qaSwitches()).isEqualTo(new QaSwitches("MAP app.slack.com 127.0.0.1:8443", "abc="));
        assertThat(options.qaWarnings()).containsExactly(
                "WARNING: QA switch --remote-debugging-port is on: any program on this machine can read and drive "
                        + "every Latchkey window, its sessions included, through 127.0.0.1:9222",
                "WARNING: QA switches are on; browser windows resolve and trust hosts differently: "
                        + "--host-resolver-rules=MAP app.slack.com 127.0.0.1:8443 --ignore-certificate-errors-spki-list=abc=");
    }

    @Test
    void rejects_a_remote_debugging_port_of_zero() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--remote-debugging-port", "0"), X11))
                .hasMessage("--remote-debugging-port: expected 1 to 65535, got \"0\"");
    }

    @Test
    void takes_port_data_dir_and_proxy_url_from_flags() {
        LaunchOptions options = LaunchOptions.parse(
                List.of("--port", "4711", "--data-dir", "/tmp/lk", "--proxy-url", "https://proxy.example.com"), NO_DISPLAY);

        assertThat(options.config()).isEqualTo(new AppConfig(Path.of("/tmp/lk"), 4711, URI.create("https://proxy.example.com")));
    }

    @Test
    void the_proxy_url_flag_reaches_the_app_config() {
        assertThat(LaunchOptions.parse(List.of("--proxy-url", "https://proxy.example.com/base"), NO_DISPLAY)
                .config().proxyUrl()).isEqualTo(URI.create("https://proxy.example.com/base"));
    }

    @Test
    void the_tool_call_timeout_flag_reaches_the_app_config_in_minutes_and_is_bounded() {
        assertThat(LaunchOptions.parse(List.of(), NO_DISPLAY).config().toolCallTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(LaunchOptions.parse(List.of("--tool-call-timeout", "30"), NO_DISPLAY).config().toolCallTimeout())
                .isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--tool-call-timeout", "0"), NO_DISPLAY))
                .hasMessage("--tool-call-timeout: expected 1 to 1440 minutes, got \"0\"");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--tool-call-timeout", "1441"), NO_DISPLAY))
                .hasMessage("--tool-call-timeout: expected 1 to 1440 minutes, got \"1441\"");
    }

    @Test
    void the_refresh_margin_flag_reaches_the_app_config_in_minutes_and_is_bounded() {
        assertThat(LaunchOptions.parse(List.of(), NO_DISPLAY).config().refreshMargin()).isEqualTo(Duration.ofMinutes(5));
        assertThat(LaunchOptions.parse(List.of("--refresh-margin", "30"), NO_DISPLAY).config().refreshMargin())
                .isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--refresh-margin", "721"), NO_DISPLAY))
                .hasMessage("--refresh-margin: expected 0 to 720 minutes, got \"721\"");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--refresh-margin", "5m"), NO_DISPLAY))
                .hasMessage("--refresh-margin: expected 0 to 720 minutes, got \"5m\"");
    }

    @Test
    void url_is_a_command_of_its_own() {
        assertThat(LaunchOptions.parse(List.of("url", "--data-dir", "/tmp/lk"), NO_DISPLAY).command())
                .isEqualTo(LaunchOptions.Command.URL);
    }

    @Test
    void doctor_is_a_command_of_its_own() {
        assertThat(LaunchOptions.parse(List.of("doctor", "--data-dir", "/tmp/lk"), NO_DISPLAY).command())
                .isEqualTo(LaunchOptions.Command.DOCTOR);
    }

    @Test
    void rejects_an_unknown_flag_by_name() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--colour"), NO_DISPLAY))
                .hasMessage("unknown argument \"--colour\"");
    }

    @Test
    void rejects_a_port_out_of_range() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--port", "70000"), NO_DISPLAY))
                .hasMessage("--port: expected 0 to 65535, got \"70000\"");
    }

    @Test
    void rejects_a_flag_without_its_value() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--data-dir"), NO_DISPLAY))
                .hasMessage("--data-dir needs a value");
    }

    @Test
    void rejects_a_proxy_url_that_is_not_http() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--proxy-url", "ftp://proxy"), NO_DISPLAY))
                .hasMessage("proxy URL: expected an http(s) URL, got \"ftp://proxy\"");
    }

    @Test
    void rejects_a_plain_http_proxy_url_that_is_not_on_this_machine() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--proxy-url", "http://proxy.example.com"), NO_DISPLAY))
                .hasMessage("proxy URL: plain http is allowed only on this machine (127.0.0.1, localhost, [::1]), since the "
                        + "proxy's answers carry tokens; use https for \"http://proxy.example.com\"");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--proxy-url", "http://127.0.0.1@proxy.example.com"), NO_DISPLAY))
                .hasMessageStartingWith("proxy URL: plain http is allowed only on this machine");
    }

    @Test
    void takes_a_plain_http_proxy_url_on_a_loopback_address() {
        for (String url : List.of("http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787", "https://proxy.example.com")) {
            assertThat(LaunchOptions.parse(List.of("--proxy-url", url), NO_DISPLAY).config().proxyUrl()).isEqualTo(URI.create(url));
        }
    }

    @Test
    void the_client_metadata_url_is_the_https_proxys_document_unless_a_flag_or_the_environment_names_one() {
        assertThat(LaunchOptions.parse(List.of(), NO_DISPLAY).config().clientMetadataDocument()).isEmpty();
        assertThat(LaunchOptions.parse(List.of("--proxy-url", "https://proxy.example.com/base/"), NO_DISPLAY).config()
                .clientMetadataUrl()).isEqualTo(URI.create("https://proxy.example.com/base/client-metadata.json"));
        java.util.Map<String, String> env = new java.util.HashMap<>(NO_DISPLAY);
        env.put("LATCHKEY_CLIENT_METADATA_URL", "https://cimd.example/latchkey.json");
        assertThat(LaunchOptions.parse(List.of("--proxy-url", "https://proxy.example.com"), env).config().clientMetadataUrl())
                .isEqualTo(URI.create("https://cimd.example/latchkey.json"));
        assertThat(LaunchOptions.parse(List.of("--client-metadata-url", "https://conformance-test.local/client-metadata.json"),
                env).config().clientMetadataUrl()).isEqualTo(URI.create("https://conformance-test.local/client-metadata.json"));
    }

    @Test
    void rejects_a_client_metadata_url_that_is_not_https_with_a_path() {
        for (String url : List.of("http://cimd.example/latchkey.json", "https://cimd.example", "https://cimd.example/a.json#x")) {
            assertThatThrownBy(() -> LaunchOptions.parse(List.of("--client-metadata-url", url), NO_DISPLAY))
                    .hasMessage("client metadata URL: expected an https URL with a path and no fragment (it is the client id "
                            + "authorization servers fetch), got \"" + url + "\"");
        }
    }
}
