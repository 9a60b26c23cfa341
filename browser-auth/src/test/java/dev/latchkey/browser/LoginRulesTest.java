package dev.latchkey.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.provider.BrowserAuthSettings;
import dev.latchkey.provider.Extraction;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LoginRulesTest {

    private final LoginRules slack = new LoginRules(new BrowserAuthSettings(URI.create("https://slack.com/signin"),
            List.of("slack.com", "*.slack.com"), Pattern.compile("^https://app\\.slack\\.com/client/T"),
            new LinkedHashMap<>(Map.of("token", new Extraction.Script("1", "xoxc-[A-Za-z0-9-]+"),
                    "cookie", new Extraction.Cookie("d", ".slack.com", "xoxd-\\S+"))), 60));

    @Test
    void allows_https_pages_on_allowed_hosts_and_blank_pages_only() {
        assertThat(slack.allowsNavigation("https://app.slack.com/client/T1")).isTrue();
        assertThat(slack.allowsNavigation("about:blank")).isTrue();
        assertThat(slack.allowsNavigation("http://slack.com/signin")).isFalse();
        assertThat(slack.allowsNavigation("https://evil.example/slack.com")).isFalse();
        assertThat(slack.allowsNavigation("https://slack.com.evil.example/")).isFalse();
        assertThat(slack.allowsNavigation("javascript:alert(1)")).isFalse();
        assertThat(slack.allowsNavigation("not a url")).isFalse();
    }

    @Test
    void names_the_first_value_that_is_missing_or_of_the_wrong_shape() {
        assertThat(slack.missing(Map.of("cookie", "xoxd-abc"))).contains("the value \"token\"");
        assertThat(slack.missing(Map.of("token", "xoxp-123", "cookie", "xoxd-abc")))
                .contains("the value \"token\" in its expected shape xoxc-[A-Za-z0-9-]+");
        assertThat(slack.missing(Map.of("token", "xoxc-123", "cookie", "xoxd-a%2Fb"))).isEmpty();
    }

    @Test
    void matches_a_cookie_by_name_and_the_domain_as_stored() {
        Extraction.Cookie d = new Extraction.Cookie("d", ".slack.com");
        assertThat(slack.isCookie(d, "d", ".slack.com")).isTrue();
        assertThat(slack.isCookie(d, "d", "slack.com")).isFalse();
        assertThat(slack.isCookie(d, "d-s", ".slack.com")).isFalse();
    }

    @Test
    void drops_query_and_fragment_from_what_it_shows() {
        assertThat(LoginRules.withoutQuery("https://evil.example:8443/steal?token=xoxc-1#x"))
                .isEqualTo("https://evil.example:8443/steal");
        assertThat(LoginRules.hostOf("https://app.slack.com/client")).isEqualTo("app.slack.com");
    }

    @Test
    void takes_the_earlier_expiry_and_null_as_a_session() {
        Instant a = Instant.parse("2030-01-01T00:00:00Z");
        Instant b = Instant.parse("2031-01-01T00:00:00Z");
        assertThat(LoginRules.earlier(a, b)).isEqualTo(a);
        assertThat(LoginRules.earlier(null, b)).isEqualTo(b);
        assertThat(LoginRules.earlier(null, null)).isNull();
    }
}
