package io.wharf.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "web", "web-1", "a1b2", "x23456789012345678901234567890123456789012345678901234567890123"})
    void dnsLabelsAreAccepted(String name) {
        assertThat(Names.dnsLabelProblem(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Web", "1web", "web-", "-web", "we_b", "we.b", "web!", "x234567890123456789012345678901234567890123456789012345678901234"})
    void badDnsLabelsAreRejected(String name) {
        assertThat(Names.dnsLabelProblem(name)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "wharf.io/stack", "example.com/tier", "A_b.c-d"})
    void labelKeysAreAccepted(String key) {
        assertThat(Names.labelKeyProblem(key)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/x", "Bad_Prefix/x", "a/", "bad key", "-x"})
    void badLabelKeysAreRejected(String key) {
        assertThat(Names.labelKeyProblem(key)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000000000000058", "1", "ev-1"})
    void eventNamesMayStartWithADigit(String name) {
        assertThat(Names.eventNameProblem(name)).isEmpty();
        assertThat(Names.nodeNameProblem("worker-1.local")).isEmpty();
    }
}
