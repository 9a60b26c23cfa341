package dev.latchkey.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.AppConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static final Map<String, String> NO_DISPLAY = Map.of("XDG_DATA_HOME", "/data");

    @Test
    void defaults_to_any_free_port_the_xdg_data_dir_and_the_local_proxy() {
        LaunchOptions options = LaunchOptions.parse(List.of(), NO_DISPLAY);

        assertThat(options.command()).isEqualTo(LaunchOptions.Command.RUN);
        assertThat(options.config()).isEqualTo(new AppConfig(Path.of("/data/latchkey"), 0, URI.create("http://127.0.0.1:8787")));
    }

    @Test
    void runs_headless_when_there_is_no_display() {
        assertThat(LaunchOptions.parse(List.of(), NO_DISPLAY).headless()).isTrue();
        assertThat(LaunchOptions.parse(List.of(), Map.of("DISPLAY", ":99")).headless()).isFalse();
        assertThat(LaunchOptions.parse(List.of("--headless"), Map.of("DISPLAY", ":99")).headless()).isTrue();
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
}
