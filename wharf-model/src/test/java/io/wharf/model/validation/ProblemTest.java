package io.wharf.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemTest {
    @Test
    void printsAsPathColonReason() {
        assertThat(new Problem("services.web.health.interval", "must be > 0")).hasToString("services.web.health.interval: must be > 0");
        assertThat(new Problem("", "malformed YAML: x")).hasToString("malformed YAML: x");
    }
}
