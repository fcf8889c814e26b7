package io.wharf.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    static final List<String> FIELDS = List.of("replicas", "restart", "routes", "dependsOn", "env");

    @Test
    void suggestsTheClosestWithinReach() {
        assertThat(Suggestions.closest("replcas", FIELDS)).contains("replicas");
        assertThat(Suggestions.closest("dependson", FIELDS)).contains("dependsOn");
        assertThat(Suggestions.closest("depends_on", FIELDS)).contains("dependsOn");
        assertThat(Suggestions.closest("envv", FIELDS)).contains("env");
    }

    @Test
    void suggestsNothingForFarAwayWords() {
        assertThat(Suggestions.closest("colour", FIELDS)).isEmpty();
        assertThat(Suggestions.didYouMean("xyz", FIELDS)).isEmpty();
    }

    @Test
    void distanceIsLevenshtein() {
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }
}
