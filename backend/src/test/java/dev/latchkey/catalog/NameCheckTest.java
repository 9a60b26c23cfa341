package dev.latchkey.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.definition.Origin;
import dev.latchkey.definition.SourceFile;
import dev.latchkey.definition.SourceFiles;
import dev.latchkey.provider.ProviderRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NameCheckTest {

    private static final ProviderRegistry PROVIDERS = ProviderRegistry.from(
            SourceFiles.classpath(NameCheckTest.class.getClassLoader(), "providers"), List.of(), Map.of());

    @Test
    void reports_an_unknown_oauth_provider() {
        assertThat(check("{\"oauth\": {\"provider\": \"dropbox\", \"required\": true}}")).containsExactly(
                "acme__x: archestra_config.oauth.provider is \"dropbox\", but no provider of that name exists "
                        + "(known oauth providers: github, google, jira, linear, linkedin, ms-teams, notion, slack)");
    }

    @Test
    void reports_a_missing_derived_browser_provider() {
        assertThat(check("{\"oauth\": {\"provider\": \"jira\", \"required\": false}, \"browser_based\": {\"required\": true}}"))
                .containsExactly("acme__x: browser login needs the provider \"jira-browser\", which does not exist "
                        + "(known browser providers: linkedin-browser, ms-teams-browser, slack-browser)");
    }

    @Test
    void reports_a_browser_provider_used_as_an_oauth_provider() {
        assertThat(check("{\"oauth\": {\"provider\": \"slack-browser\", \"required\": true}}")).containsExactly(
                "acme__x: archestra_config.oauth.provider is \"slack-browser\", which is a browser-login provider; "
                        + "name it in browser_based.provider instead");
    }

    @Test
    void reports_an_oauth_provider_named_as_the_browser_provider() {
        assertThat(check("{\"browser_based\": {\"required\": true, \"provider\": \"github\"}}")).containsExactly(
                "acme__x: browser login needs \"github\" to be a browser-login provider, but it is an OAuth provider");
    }

    @Test
    void reports_browser_login_with_no_provider_to_derive() {
        assertThat(check("{\"oauth\": {\"provider\": null, \"required\": false}, \"browser_based\": {\"required\": true}}"))
                .containsExactly("acme__x: browser_based.required is true, but there is no browser provider: "
                        + "set browser_based.provider, or an oauth provider to derive \"<provider>-browser\" from");
    }

    @Test
    void finds_nothing_to_report_for_a_null_oauth_provider() {
        assertThat(check("{\"oauth\": {\"provider\": null, \"required\": false}, \"browser_based\": {\"required\": false}}")).isEmpty();
    }

    private static List<String> check(String archestraConfig) {
        String manifest = "{\"name\": \"acme__x\", \"server\": {\"command\": \"npx\"}, \"archestra_config\": " + archestraConfig + "}";
        Catalog catalog = Catalog.from(List.of(new SourceFile(Origin.USER, "user catalog/acme__x.json", "acme__x.json",
                manifest.getBytes(UTF_8))), List.of());
        assertThat(catalog.problems()).isEmpty();
        return NameCheck.mismatches(catalog, PROVIDERS);
    }
}
