package io.wharf.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.cli.output.Ansi;
import io.wharf.client.stack.Plan;
import org.junit.jupiter.api.Test;

class PlanViewTest {

  private static Plan plan(String json) throws Exception {
    return Plan.fromJson(new ObjectMapper().readTree(json));
  }

  private static final String MIXED = """
      {"stack":"shop","namespace":"default","revision":57,"changes":[
        {"action":"create","kind":"Service","namespace":"default","name":"web","diff":[]},
        {"action":"update","kind":"Service","namespace":"default","name":"api","diff":[
          {"path":"spec.replicas","old":2,"new":3},
          {"path":"metadata.labels.tier","old":null,"new":"back"}]},
        {"action":"update","kind":"Secret","namespace":"default","name":"db","diff":[
          {"path":"spec.value","old":"hunter2","new":"hunter3"}]},
        {"action":"delete","kind":"Job","namespace":"default","name":"old-migrate","diff":[]}],
       "summary":{"create":1,"update":2,"delete":1,"unchanged":4}}""";

  @Test
  void aPlanShowsEachChangeItsFieldsAndASummary() throws Exception {
    assertThat(new PlanView(new Ansi(false), "→").render(plan(MIXED))).isEqualTo("""
        Stack shop in namespace default (at revision 57):

          + create Service default/web
          ~ update Service default/api
              spec.replicas: 2 → 3
              metadata.labels.tier: (none) → "back"
          ~ update Secret default/db
              spec.value: (sensitive) → (sensitive)
          - delete Job default/old-migrate

        Plan: 1 to create, 2 to update, 1 to delete, 4 unchanged.
        """);
  }

  @Test
  void aStackWithDependenciesShowsItsStartOrderInWaves() throws Exception {
    assertThat(new PlanView(new Ansi(false), "→").render(plan("""
        {"stack":"shop","namespace":"default","revision":9,"changes":[
          {"action":"create","kind":"Service","namespace":"default","name":"frontend","diff":[]}],
         "summary":{"create":1,"update":0,"delete":0,"unchanged":3},
         "startOrder":[["db","cache"],["api"],["frontend"]],
         "deleteOrder":[["frontend"],["api"],["db","cache"]]}"""))).isEqualTo("""
        Stack shop in namespace default (at revision 9):

          + create Service default/frontend

        Plan: 1 to create, 0 to update, 0 to delete, 3 unchanged.

        Start order: 1. db, cache  2. api  3. frontend
        """);
  }

  @Test
  void servicesRolledOutBecauseTheirConfigsOrSecretsChangeAreNamedWithTheReason() throws Exception {
    assertThat(new PlanView(new Ansi(false), "→").render(plan("""
        {"stack":"shop","namespace":"default","revision":12,"changes":[
          {"action":"update","kind":"Config","namespace":"default","name":"page","diff":[
            {"path":"spec.data","old":"v1","new":"v2"}]},
          {"action":"update","kind":"Secret","namespace":"default","name":"db","diff":[
            {"path":"spec.value","old":"<redacted>","new":"<redacted>"}]}],
         "rollouts":[{"kind":"Service","namespace":"default","name":"web",
           "because":["config page changed","secret db changed"]}],
         "summary":{"create":0,"update":2,"delete":0,"unchanged":1}}"""))).isEqualTo("""
        Stack shop in namespace default (at revision 12):

          ~ update Config default/page
              spec.data: "v1" → "v2"
          ~ update Secret default/db
              spec.value: (sensitive) → (sensitive)
          ~ roll out Service web: config page changed, secret db changed

        Plan: 0 to create, 2 to update, 0 to delete, 1 unchanged.
        """);
  }

  @Test
  void oneWaveIsNoOrderToShow() throws Exception {
    assertThat(new PlanView(new Ansi(false), "→").render(plan("""
        {"stack":"shop","namespace":"default","revision":9,"changes":[
          {"action":"create","kind":"Service","namespace":"default","name":"web","diff":[]}],
         "summary":{"create":1,"update":0,"delete":0,"unchanged":0},
         "startOrder":[["web","worker"]]}"""))).doesNotContain("Start order");
  }

  @Test
  void onATerminalTheSignsAreColoured() throws Exception {
    String text = new PlanView(new Ansi(true), "->").render(plan(MIXED));

    assertThat(text).contains("\u001b[32m+ create\u001b[0m Service default/web",
        "\u001b[33m~ update\u001b[0m Service default/api", "spec.replicas: 2 -> 3",
        "\u001b[31m- delete\u001b[0m Job default/old-migrate");
  }

  @Test
  void aPlanWithoutChangesSaysSo() throws Exception {
    assertThat(new PlanView(new Ansi(false), "→").render(plan("""
        {"stack":"shop","namespace":"default","revision":60,"changes":[],
         "summary":{"create":0,"update":0,"delete":0,"unchanged":3}}"""))).isEqualTo("""
        Stack shop in namespace default (at revision 60):

        No changes. 3 resources are up to date.
        """);
  }

  @Test
  void longValuesAreShortened() throws Exception {
    String longText = "x".repeat(200);
    String text = new PlanView(new Ansi(false), "→").render(plan("""
        {"stack":"s","namespace":"default","revision":1,"changes":[
          {"action":"update","kind":"Config","namespace":"default","name":"c","diff":[
            {"path":"spec.data","old":"a","new":"%s"}]}]}""".formatted(longText)));

    assertThat(text).contains("spec.data: \"a\" → \"" + "x".repeat(PlanView.MAX_VALUE_WIDTH - 4)
        + "...\n");
  }

  @Test
  void theApplyLineCountsWhatWasDone() throws Exception {
    assertThat(PlanView.applied(plan(MIXED))).isEqualTo(
        "Applied at revision 57: 1 created, 2 updated, 1 deleted.");
  }

  @Test
  void aPlanShowsWhereNewInstancesWouldGoAndWhyTheRestCannot() throws Exception {
    String text = new PlanView(new Ansi(false), "→").render(plan("""
        {"stack":"shop","namespace":"default","revision":9,"changes":[
          {"action":"create","kind":"Service","namespace":"default","name":"web","diff":[]},
          {"action":"create","kind":"Service","namespace":"default","name":"db","diff":[]}],
         "placements":[
          {"kind":"Service","namespace":"default","name":"web","instances":3,"placed":3,"nodes":{"n1":2,"n2":1}},
          {"kind":"Service","namespace":"default","name":"db","instances":3,"placed":1,"nodes":{"n1":1},
           "reasons":"3 nodes: not enough memory (need 512Mi, largest free 256Mi); 2 nodes: constraint node.labels.zone == eu not met"}],
         "summary":{"create":2,"update":0,"delete":0,"unchanged":0}}"""));

    assertThat(text).endsWith("""
        Plan: 2 to create, 0 to update, 0 to delete, 0 unchanged.

        Placement (dry run on the cluster as it is now):
          + web: 3 new instances on n1 (2), n2 (1)
          ! db: 1 of 3 new instances can be placed, on n1 (1); the rest cannot:
              3 nodes: not enough memory (need 512Mi, largest free 256Mi)
              2 nodes: constraint node.labels.zone == eu not met
        """);
  }
}
