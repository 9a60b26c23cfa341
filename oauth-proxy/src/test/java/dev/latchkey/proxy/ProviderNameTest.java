package dev.latchkey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same names as the app's ProviderNameTest: the rule is one, held on both sides. */
class ProviderNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"slack", "ms-teams", "slack-browser", "google-drive-2", "x", "3d"})
    void accepts_lower_case_groups_joined_by_single_dashes(String name) {
        assertThat(new ProviderName(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Slack", "ms_teams", "-slack", "slack-", "ms--teams", "slack browser", "släck"})
    void refuses_every_other_name_by_the_one_rule(String name) {
        assertThatThrownBy(() -> new ProviderName(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a provider name is lower-case letters, digits and single dashes, got \"" + name + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ms-teams", "google-drive-2"})
    void the_environment_prefix_is_the_name_upper_cased_with_underscores(String name) {
        assertThat(new ProviderName(name).envPrefix()).isEqualTo(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
