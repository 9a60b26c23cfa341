package dev.latchkey.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PkceTest {

    @Test
    void computes_the_s256_challenge_of_the_rfc_7636_appendix_b_example() {
        Pkce pkce = new Pkce("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

        assertThat(pkce.challenge()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void generates_a_43_character_verifier_of_256_random_bits_each_time_another() {

        Pkce first = Pkce.generate();
        Pkce second = Pkce.generate();

        assertThat(first.verifier()).matches("[A-Za-z0-9_-]{43}");
        assertThat(first.verifier()).isNotEqualTo(second.verifier());
    }

    @Test
    void refuses_a_verifier_shorter_than_rfc_7636_allows() {
        assertThatThrownBy(() -> new Pkce("short"))
                .hasMessage("a PKCE verifier is 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)");
    }

    @Test
    void never_shows_the_verifier_in_its_text() {
        assertThat(new Pkce("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").toString()).isEqualTo("Pkce[verifier hidden]");
    }

    @Test
    void makes_a_state_of_the_loopback_port_and_256_random_bits_and_stores_its_sha_256() {
        String state = FlowState.generate(39145);

        assertThat(state).matches("39145\\.[A-Za-z0-9_-]{43}");
        assertThat(FlowState.hash(state)).hasSize(64).isNotEqualTo(FlowState.hash(state + "x"));
    }
}
