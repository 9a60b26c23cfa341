package dev.latchkey.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BrowserAuthSettingsTest {

    private final BrowserAuthSettings slack = new BrowserAuthSettings(URI.create("https://slack.com/signin"),
            List.of("slack.com", "*.slack.com", "*.google.com"), Pattern.compile("^https://app\\.slack\\.com/client/T"),
            Map.of("cookie", new Extraction.Cookie("d", ".slack.com")), 300);

    @Test
    void allows_exact_hosts_and_sub_domains_of_wildcards() {
        assertThat(slack.allowsHost("slack.com")).isTrue();
        assertThat(slack.allowsHost("app.slack.com")).isTrue();
        assertThat(slack.allowsHost("ACCOUNTS.GOOGLE.COM")).isTrue();
    }

    @Test
    void refuses_hosts_that_only_look_alike() {
        assertThat(slack.allowsHost("evilslack.com")).isFalse();
        assertThat(slack.allowsHost("slack.com.evil.example")).isFalse();
        assertThat(slack.allowsHost("google.com")).isFalse();
        assertThat(slack.allowsHost(null)).isFalse();
    }

    @Test
    void is_ready_only_when_the_url_matches_ready_when() {
        assertThat(slack.isReady("https://app.slack.com/client/T01/C02")).isTrue();
        assertThat(slack.isReady("https://slack.com/signin")).isFalse();
        assertThat(slack.isReady(null)).isFalse();
    }
}
