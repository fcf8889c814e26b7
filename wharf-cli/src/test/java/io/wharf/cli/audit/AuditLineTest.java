package io.wharf.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AuditLineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anEntryStandingForManyRefusalsShowsTheirCountBesideTheStatus() throws Exception {
    String line = AuditLine.of(JSON.readTree("""
        {"time": "2026-12-06T21:34:12.345Z", "principal": "anonymous", "verb": "create",
         "object": {"kind": "Service", "namespace": "default"}, "revision": null,
         "request": {"source": "10.0.0.9"}, "result": {"status": 401, "message": "bad token"},
         "refused": {"count": 523, "windowSeconds": 10}}"""));

    assertThat(line).isEqualTo(String.format("%-20s %-22s %-13s %-36s %-9s %-6s %s", "2026-12-06T21:34:12Z",
        "anonymous", "create", "Service/default", "-", "401x523", "10.0.0.9"));
  }

  @Test
  void anEntryOfOneCallShowsTheStatusAlone() throws Exception {
    String line = AuditLine.of(JSON.readTree("""
        {"time": "2026-12-06T21:34:12Z", "principal": "user:bob", "verb": "delete",
         "object": {"kind": "Node", "name": "n1"}, "revision": 7,
         "request": {"source": "127.0.0.1"}, "result": {"status": 200}}"""));

    assertThat(line).contains(" 7         200    127.0.0.1");
  }
}
