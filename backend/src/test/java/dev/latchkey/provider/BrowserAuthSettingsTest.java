package dev.latchkey.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.definition.InvalidDefinitionException;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BrowserAuthSettingsTest {

    private final BrowserAuthSettings slack = new BrowserAuthSettings(URI.create("https://slack.com/signin"),
            List.of("slack.com", "*.slack.com", "accounts.google.com"), Pattern.compile("^https://app\\.slack\\.com/client/T"),
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
        assertThat(slack.allowsHost("sites.google.com")).isFalse();
        assertThat(slack.allowsHost(null)).isFalse();
    }

    @Test
    void is_ready_only_when_the_url_matches_ready_when() {
        assertThat(slack.isReady("https://app.slack.com/client/T01/C02")).isTrue();
        assertThat(slack.isReady("https://slack.com/signin")).isFalse();
        assertThat(slack.isReady(null)).isFalse();
    }

    @Test
    void refuses_a_wildcard_on_a_shared_or_multi_tenant_suffix_naming_it() {
        for (String wildcard : List.of("*.google.com", "*.okta.com", "*.microsoft.com", "*.apple.com")) {
            assertThatThrownBy(() -> slackWith(List.of("slack.com", wildcard), List.of(), new Extraction.Cookie("d", ".slack.com")))
                    .isInstanceOf(InvalidDefinitionException.class)
                    .hasMessage("allowedHosts: \"" + wildcard + "\" admits every host under " + wildcard.substring(2)
                            + ", where others than its owner publish pages; name the exact hosts (e.g. \"accounts.google.com\", "
                            + "\"login.microsoftonline.com\"), and put an SSO tenant's wildcard in ssoHosts");
        }
        for (String wildcard : List.of("*.sites.google.com", "*.s3.amazonaws.com", "*.acme.okta.com")) {
            assertThatThrownBy(() -> slackWith(List.of("slack.com", wildcard), List.of(), new Extraction.Cookie("d", ".slack.com")))
                    .isInstanceOf(InvalidDefinitionException.class)
                    .hasMessageStartingWith("allowedHosts: \"" + wildcard + "\" admits every host under " + wildcard.substring(2)
                            + ", where others than its owner publish pages");
        }
        assertThatThrownBy(() -> slackWith(List.of("slack.com", "*.com"), List.of(), new Extraction.Cookie("d", ".slack.com")))
                .hasMessage("allowedHosts: \"*.com\" admits a whole top-level domain; name the hosts, e.g. \"slack.com\"");
    }

    @Test
    void takes_sso_tenants_as_wildcards_reached_by_redirect_only() {
        BrowserAuthSettings settings = slackWith(List.of("slack.com"), List.of("*.okta.com"), new Extraction.Cookie("d", ".slack.com"));

        assertThat(settings.allowsHost("acme.okta.com")).isFalse();
        assertThat(settings.isSsoHost("acme.okta.com")).isTrue();
        assertThat(settings.isSsoHost("okta.com.evil.example")).isFalse();
        assertThatThrownBy(() -> slackWith(List.of("slack.com"), List.of("acme.okta.com"), new Extraction.Cookie("d", ".slack.com")))
                .hasMessage("ssoHosts: each entry must be a wildcard such as \"*.okta.com\" (an exact host belongs in allowedHosts), "
                        + "got [acme.okta.com]");
    }

    @Test
    void refuses_a_cookie_whose_domain_is_not_within_the_allowed_hosts() {
        assertThatThrownBy(() -> slackWith(List.of("app.slack.com"), List.of(), new Extraction.Cookie("d", ".slack.com")))
                .hasMessage("extract.cookie.domain: the cookie's domain \".slack.com\" is not within allowedHosts [app.slack.com]");
        assertThat(slackWith(List.of("*.slack.com", "slack.com"), List.of(), new Extraction.Cookie("d", ".slack.com")).extract())
                .containsKey("cookie");
    }

    private static BrowserAuthSettings slackWith(List<String> hosts, List<String> sso, Extraction.Cookie cookie) {
        return new BrowserAuthSettings(URI.create("https://slack.com/signin"), hosts, Pattern.compile("client"),
                Map.of("cookie", cookie), 300, null, sso);
    }
}
