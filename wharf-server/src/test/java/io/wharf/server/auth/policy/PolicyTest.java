package io.wharf.server.auth.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicyTest {
  static Rule rule(String ns, String kinds, String verbs) {
    return Rule.of(ns, List.of(kinds.split(",")), List.of(verbs.split(",")));
  }

  @ParameterizedTest(name = "{0} {1} in {2} under [{3} {4} {5}] -> {6}")
  @CsvSource(nullValues = "-", value = {
      "get, Service, default, default, Service, get, true",
      "list, Service, default, default, Service, get, false",
      "get, Secret, default, default, Service, get, false",
      "get, Service, team-a, team-*, Service, get, true",
      "get, Service, teama, team-*, Service, get, false",
      "get, Service, default, *, *, *, true",
      "get, Node, -, *, Node, get, true",
      "get, Node, -, default, Node, get, false",
      "list, Service, -, default, Service, list, false",
      "reveal, Secret, prod, *, *, get;list;watch, false",
  })
  void aRuleAllowsExactlyWhatItNames(String verb, String kind, String ns, String ruleNs, String ruleKinds,
      String ruleVerbs, boolean allowed) {
    Policy p = new Policy(List.of(rule(ruleNs, ruleKinds, ruleVerbs.replace(';', ','))));
    assertThat(p.allows(new Permission(Verb.parse(verb).orElseThrow(), kind, ns))).isEqualTo(allowed);
  }

  @Test
  void nothingIsAllowedWithoutARule() {
    assertThat(Policy.NONE.allows(new Permission(Verb.GET, "Service", "default"))).isFalse();
  }

  @ParameterizedTest(name = "held {0} covers wanted {1}: {2}")
  @CsvSource({
      "*, team-*, true",
      "team-*, team-a, true",
      "team-*, team-a-*, true",
      "team-a-*, team-*, false",
      "team-*, *, false",
      "a*c, a*, false",
      "default, default, true",
      "default, *, false",
  })
  void aNamespacePatternCoversAnotherOnlyWhenEveryNameOfItMatches(String held, String wanted, boolean covered) {
    Policy p = new Policy(List.of(rule(held, "Service", "get")));
    assertThat(p.missing(List.of(rule(wanted, "Service", "get")))).hasSize(covered ? 0 : 1);
  }

  @Test
  void missingNamesEachVerbAndKindNotHeld() {
    Policy viewer = new Policy(BuiltInRoles.byName("viewer").orElseThrow().rules());
    assertThat(viewer.missing(List.of(rule("default", "Service,Secret", "get,delete"))))
        .containsExactly("delete Secret in namespace default", "delete Service in namespace default");
    assertThat(viewer.missing(BuiltInRoles.byName("admin").orElseThrow().rules())).containsExactly("* * in namespace *");
  }

  @Test
  void theNodeRoleReadsEverythingWritesStatusAndRevealsSecrets() {
    Policy node = new Policy(BuiltInRoles.byName("node").orElseThrow().rules());
    assertThat(node.allows(new Permission(Verb.WATCH, "Instance", null))).isTrue();
    assertThat(node.allows(new Permission(Verb.UPDATE, "Instance", null))).isTrue();
    assertThat(node.allows(new Permission(Verb.UPDATE, "Node", null))).isTrue();
    assertThat(node.allows(new Permission(Verb.REVEAL, "Secret", "default"))).isTrue();
    assertThat(node.allows(new Permission(Verb.CREATE, "Service", "default"))).isFalse();
    assertThat(node.allows(new Permission(Verb.EXEC, "Instance", "default"))).isFalse();
  }
}
