package dev.latchkey.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopbackTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080/", "http://LOCALHOST/", "http://127.0.0.1:1/", "http://127.9.8.7/", "http://[::1]:9/"})
    void takes_localhost_and_the_literal_loopback_addresses(String url) {
        assertThat(Loopback.isLoopback(URI.create(url).getHost())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/", "http://127.0.0.1.nip.io/", "http://localhost.example.com/",
        "http://10.0.0.1/", "http://[::2]/", "http://0.0.0.0/", "http://[::]/"})
    void refuses_names_that_only_resolve_to_it_and_every_other_address(String url) {
        assertThat(Loopback.isLoopback(URI.create(url).getHost())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "["})
    void refuses_what_is_no_host(String host) {
        assertThat(Loopback.isLoopback(host)).isFalse();
        assertThat(Loopback.isLoopback(null)).isFalse();
    }
}
