package io.wharf.cli.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescriptionTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:10:00Z");

  private static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text);
  }

  @Test
  void anObjectIsDescribedFieldByFieldWithItsRecentEvents() throws Exception {
    JsonNode web = json("""
        {"kind":"Service","metadata":{"name":"web","namespace":"default",
          "labels":{"wharf.io/stack":"shop","app":"web"},"revision":42,
          "createdAt":"2026-11-22T10:00:00Z","updatedAt":"2026-11-22T10:09:00Z"},
         "spec":{"replicas":2,"tasks":[{"name":"web","driver":"process","command":["httpd"]}]},
         "status":{}}""");
    JsonNode created = json("""
        {"kind":"Event","spec":{"type":"Created","reason":"Applied","message":"stack shop",
          "at":"2026-11-22T10:00:00Z"}}""");

    assertThat(Description.render(web, List.of(created), null, NOW)).isEqualTo("""
        Name:       web
        Namespace:  default
        Kind:       Service
        Labels:     app=web
                    wharf.io/stack=shop
        Revision:   42
        Created:    2026-11-22T10:00:00Z (10m ago)
        Updated:    2026-11-22T10:09:00Z (60s ago)
        Spec:
          replicas: 2
          tasks:
          - name: web
            driver: process
            command:
            - httpd
        Status: <none>
        Events:
          AGE   TYPE      REASON    MESSAGE
          10m   Created   Applied   stack shop
        """);
  }

  @Test
  void aSecretsValuesAreRedactedAndUnreadableEventsAreSaidSo() throws Exception {
    JsonNode secret = json("""
        {"kind":"Secret","metadata":{"name":"db","namespace":"default"},
         "spec":{"value":"hunter2"}}""");

    String text = Description.render(secret, null, "cannot reach it", NOW);

    assertThat(text).doesNotContain("hunter2").contains("  value: <redacted>\n")
        .endsWith("Events: <unavailable: cannot reach it>\n");
  }

  @Test
  void aServiceThatCannotBePlacedSaysWhyOneCausePerLine() throws Exception {
    JsonNode web = json("""
        {"kind":"Service","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":1},
         "status":{"conditions":[{"type":"Scheduled","status":false,"reason":"PlacementFailed",
           "message":"3 nodes: not enough memory (need 512Mi, largest free 256Mi); 2 nodes: constraint node.labels.zone == eu not met"}]}}""");

    assertThat(Description.render(web, List.of(), null, NOW)).contains("""
        Placement:  not every instance can be placed:
          3 nodes: not enough memory (need 512Mi, largest free 256Mi)
          2 nodes: constraint node.labels.zone == eu not met
        Events: <none>
        """);
  }

  @Test
  void aServiceHeldBackByADependencySaysWhatItWaitsFor() throws Exception {
    JsonNode api = json("""
        {"kind":"Service","metadata":{"name":"api","namespace":"default"},"spec":{"replicas":1},
         "status":{"conditions":[{"type":"DependenciesMet","status":false,"reason":"WaitingForDependency",
           "message":"waiting for service \\"db\\" to be healthy (1 of 2 ready)"}]}}""");

    assertThat(Description.render(api, List.of(), null, NOW)).contains("""
        Waiting:    waiting for service "db" to be healthy (1 of 2 ready) (WaitingForDependency)
        Events: <none>
        """);
  }
}
