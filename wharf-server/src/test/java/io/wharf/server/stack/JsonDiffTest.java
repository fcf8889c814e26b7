package io.wharf.server.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonDiffTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("equal trees", "{\"a\":1,\"b\":[1,2]}", "{\"b\":[1,2],\"a\":1}", List.of()),
        Arguments.of("changed leaf", "{\"replicas\":2}", "{\"replicas\":3}", List.of("spec.replicas: 2 -> 3")),
        Arguments.of("nested change", "{\"health\":{\"interval\":\"10s\",\"path\":\"/\"}}",
            "{\"health\":{\"interval\":\"5s\",\"path\":\"/\"}}", List.of("spec.health.interval: \"10s\" -> \"5s\"")),
        Arguments.of("added field", "{}", "{\"env\":{\"A\":\"1\"}}", List.of("spec.env: null -> {\"A\":\"1\"}")),
        Arguments.of("removed field", "{\"env\":{\"A\":\"1\"}}", "{}", List.of("spec.env: {\"A\":\"1\"} -> null")),
        Arguments.of("array element changed", "{\"ports\":[{\"port\":80},{\"port\":81}]}",
            "{\"ports\":[{\"port\":80},{\"port\":82}]}", List.of("spec.ports[1].port: 81 -> 82")),
        Arguments.of("array grew", "{\"args\":[\"a\"]}", "{\"args\":[\"a\",\"b\"]}", List.of("spec.args[1]: null -> \"b\"")),
        Arguments.of("type changed", "{\"x\":{\"y\":1}}", "{\"x\":[1]}", List.of("spec.x: {\"y\":1} -> [1]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void diffsNameEveryChangedLeafByPath(String name, String before, String after, List<String> expected) {
    JsonNode a = ApiClient.parse(before);
    JsonNode b = ApiClient.parse(after);
    assertThat(JsonDiff.between("spec", a, b)).extracting(d -> d.path() + ": " + d.oldValue() + " -> " + d.newValue())
        .containsExactlyElementsOf(expected);
  }
}
