package io.wharf.cli.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.model.Kind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:10:00Z");

  private static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text);
  }

  @Test
  void servicesShowReplicasAndTheMainTasksDriver() throws Exception {
    List<JsonNode> services = List.of(
        json("""
            {"kind":"Service","metadata":{"name":"web","namespace":"default",
             "createdAt":"2026-11-22T10:05:00Z"},
             "spec":{"replicas":3,"tasks":[{"name":"init","lifecycle":"prestart","driver":"docker"},
                                            {"name":"web","driver":"process"}]},
             "status":{"desired":3,"running":2,"ready":2}}"""),
        json("""
            {"kind":"Service","metadata":{"name":"payments-api","namespace":"shop",
             "createdAt":"2026-11-20T10:10:00Z"},
             "spec":{"replicas":1,"tasks":[{"name":"api","driver":"java"}]}}"""));

    assertThat(Columns.table(Kind.SERVICE, services, NOW).render()).isEqualTo("""
        NAME           NAMESPACE   REPLICAS   DRIVER    AGE
        web            default     2/3        process   5m
        payments-api   shop        1          java      2d
        """);
  }

  @Test
  void secretsShowHowManyKeysNeverTheValues() throws Exception {
    String table = Columns.table(Kind.SECRET, List.of(json("""
        {"kind":"Secret","metadata":{"name":"db","namespace":"default",
         "createdAt":"2026-11-22T10:09:00Z"},"spec":{"data":{"user":"admin","pw":"hunter2"}}}""")),
        NOW).render();

    assertThat(table).isEqualTo("""
        NAME   NAMESPACE   KEYS   AGE
        db     default     2      60s
        """);
  }

  @Test
  void clusterScopedKindsHaveNoNamespaceColumn() throws Exception {
    assertThat(Columns.table(Kind.NODE, List.of(json("""
        {"kind":"Node","metadata":{"name":"n1","createdAt":"2026-11-22T07:10:00Z"},
         "status":{"state":"ready","address":"127.0.0.2","drivers":["process","docker"]}}""")),
        NOW).render()).isEqualTo("""
        NAME   STATE   ADDRESS     DRIVERS          AGE
        n1     ready   127.0.0.2   process,docker   3h
        """);
  }

  @Test
  void eventsShowWhatHappenedToWhichObject() throws Exception {
    assertThat(Columns.table(Kind.EVENT, List.of(json("""
        {"kind":"Event","metadata":{"name":"0000000000000058","namespace":"default"},
         "spec":{"type":"Created","involved":{"kind":"Service","namespace":"default","name":"web"},
                 "reason":"Applied","message":"stack shop","at":"2026-11-22T10:09:30Z"}}""")),
        NOW).render()).isEqualTo("""
        LAST SEEN   NAMESPACE   TYPE      REASON    OBJECT        MESSAGE
        30s         default     Created   Applied   service/web   stack shop
        """);
  }

  @Test
  void absentValuesShowAsNone() throws Exception {
    assertThat(Columns.table(Kind.ROUTE, List.of(json("""
        {"kind":"Route","metadata":{"name":"r","namespace":"default"},"spec":{}}""")), NOW)
        .render()).isEqualTo("""
        NAME   NAMESPACE   HOST     PATH     BACKENDS   AGE
        r      default     <none>   <none>   <none>     <unknown>
        """);
  }
}
