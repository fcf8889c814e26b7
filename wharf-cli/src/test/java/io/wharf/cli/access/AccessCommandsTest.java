package io.wharf.cli.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.cli.CliException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessCommandsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode token(String id, String expires, String revoked) throws Exception {
    return JSON.readTree("{\"id\": \"" + id + "\", \"principal\": \"user:alice\", \"created\": \"2026-12-06T10:00:00Z\", "
        + "\"lastUsed\": null, \"expires\": " + (expires == null ? "null" : "\"" + expires + "\"") + ", \"revoked\": "
        + (revoked == null ? "null" : "\"" + revoked + "\"") + "}");
  }

  @Test
  void tokenListShowsStatusAndNeverTheToken() throws Exception {
    Instant now = Instant.parse("2026-12-06T12:00:00Z");
    String table = TokenCommand.table(List.of(token("aaaaaaaaaaaa", null, null),
        token("bbbbbbbbbbbb", "2026-12-06T11:00:00Z", null), token("cccccccccccc", null, "2026-12-06T11:30:00Z")), now)
        .render();
    assertThat(table.lines().toList()).containsExactly(
        "ID             PRINCIPAL    DESCRIPTION   CREATED    LAST USED   EXPIRES                STATUS",
        "aaaaaaaaaaaa   user:alice   -             120m ago   never       never                  active",
        "bbbbbbbbbbbb   user:alice   -             120m ago   never       2026-12-06T11:00:00Z   expired",
        "cccccccccccc   user:alice   -             120m ago   never       never                  revoked");
  }

  @Test
  void rulesAreWrittenNamespaceKindsVerbs() {
    JsonNode body = Grants.body(JSON.createObjectNode(), List.of("viewer"), List.of("team-*:Service,Instance:get,list"));
    assertThat(body.toString()).isEqualTo("{\"roles\":[\"viewer\"],\"rules\":[{\"namespace\":\"team-*\","
        + "\"kinds\":[\"Service\",\"Instance\"],\"verbs\":[\"get\",\"list\"]}]}");
    assertThat(Grants.rules(body.path("rules"))).isEqualTo("team-*:Service,Instance:get,list");
    assertThatThrownBy(() -> Grants.body(JSON.createObjectNode(), List.of(), List.of("team-a:Service")))
        .isInstanceOf(CliException.class)
        .hasMessage("--rule must be NAMESPACE:KINDS:VERBS (e.g. team-*:Service,Instance:get,list), got \"team-a:Service\"");
    assertThat(Grants.principal("alice")).isEqualTo("user:alice");
    assertThat(Grants.principal("node:n1")).isEqualTo("node:n1");
  }
}
