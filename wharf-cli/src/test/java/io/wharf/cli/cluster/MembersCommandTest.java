package io.wharf.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.cli.CliRun;
import io.wharf.cli.ScriptedServer;
import org.junit.jupiter.api.Test;

/** {@code wharf server members} against a scripted server: the table, JSON, no leader, errors. */
class MembersCommandTest {
  // CliRun's clock is 2026-11-22T10:10:00Z
  private static final String THREE = """
      {"servers":[
        {"id":"10.0.0.1:7070","addresses":["https://10.0.0.1:7070"],"version":"0.1.0-SNAPSHOT",
         "startedAt":"2026-11-22T08:10:00Z","lastHeartbeat":"2026-11-22T10:09:58Z","leader":false},
        {"id":"10.0.0.2:7070","addresses":["https://10.0.0.2:7070"],"version":"0.1.0-SNAPSHOT",
         "startedAt":"2026-11-20T10:10:00Z","lastHeartbeat":"2026-11-22T10:09:59Z","leader":true},
        {"id":"wharf-3.example:7443","addresses":["https://wharf-3.example:7443","https://127.0.0.1:7443"],
         "version":"0.2.0","startedAt":"2026-11-22T10:05:30Z","lastHeartbeat":"2026-11-22T10:09:51Z","leader":false}],
       "leader":"10.0.0.2:7070","server":"10.0.0.1:7070","ttlSeconds":10}""";

  @Test
  void membersPrintsOneLinePerServerWithTheLeaderMarked() {
    try (ScriptedServer server = new ScriptedServer().on("GET /v1/servers", 200, THREE)) {
      CliRun.Result r = new CliRun().address(server.address()).run("server", "members");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("""
          NAME                   ADDRESS                        LEADER   VERSION          STARTED     LAST HEARTBEAT
          10.0.0.1:7070          https://10.0.0.1:7070          no       0.1.0-SNAPSHOT   120m ago    2s ago
          10.0.0.2:7070          https://10.0.0.2:7070          yes      0.1.0-SNAPSHOT   2d ago      1s ago
          wharf-3.example:7443   https://wharf-3.example:7443   no       0.2.0            4m30s ago   9s ago
          """);
      assertThat(r.err()).isEmpty();
      assertThat(server.requests()).containsExactly("GET /v1/servers");
    }
  }

  @Test
  void jsonIsTheServersAnswer() {
    try (ScriptedServer server = new ScriptedServer().on("GET /v1/servers", 200, """
        {"servers":[{"id":"127.0.0.1:7070","addresses":["http://127.0.0.1:7070"],"version":"0.1.0-SNAPSHOT",
          "startedAt":"2026-11-22T10:00:00Z","lastHeartbeat":"2026-11-22T10:10:00Z","leader":true}],
         "leader":"127.0.0.1:7070","server":"127.0.0.1:7070","ttlSeconds":10}""")) {
      CliRun.Result r = new CliRun().address(server.address()).run("server", "members", "-o", "json");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("""
          {
            "servers" : [ {
              "id" : "127.0.0.1:7070",
              "addresses" : [ "http://127.0.0.1:7070" ],
              "version" : "0.1.0-SNAPSHOT",
              "startedAt" : "2026-11-22T10:00:00Z",
              "lastHeartbeat" : "2026-11-22T10:10:00Z",
              "leader" : true
            } ],
            "leader" : "127.0.0.1:7070",
            "server" : "127.0.0.1:7070",
            "ttlSeconds" : 10
          }
          """);
    }
  }

  @Test
  void withoutALeaderEveryServerIsListedAndStderrSaysSo() {
    try (ScriptedServer server = new ScriptedServer().on("GET /v1/servers", 200, """
        {"servers":[{"id":"127.0.0.1:7070","addresses":["http://127.0.0.1:7070"],"version":"0.1.0-SNAPSHOT",
          "startedAt":"2026-11-22T10:00:00Z","lastHeartbeat":"2026-11-22T10:09:59Z","leader":false}],
         "leader":null,"server":"127.0.0.1:7070","ttlSeconds":10}""")) {
      CliRun.Result r = new CliRun().address(server.address()).run("server", "members");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).isEqualTo("""
          NAME             ADDRESS                 LEADER   VERSION          STARTED   LAST HEARTBEAT
          127.0.0.1:7070   http://127.0.0.1:7070   no       0.1.0-SNAPSHOT   10m ago   1s ago
          """);
      assertThat(r.err()).isEqualTo("No server leads right now (an election is under way).\n");
    }
  }

  @Test
  void aRefusalIsTheServersMessageWithExitOne() {
    try (ScriptedServer server = new ScriptedServer().on("GET /v1/servers", 403, """
        {"error":{"code":"forbidden","message":"user:bob may not list Cluster"}}""")) {
      CliRun.Result r = new CliRun().address(server.address()).run("server", "members");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).startsWith("error: user:bob may not list Cluster\n");
    }
  }

  @Test
  void anUnknownOutputFormatIsAUsageError() {
    CliRun.Result r = new CliRun().address("http://127.0.0.1:1").run("server", "members", "-o", "xml");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: Invalid value for option '--output': expected one of [TABLE, JSON, YAML]"
        + " (case-insensitive) but was 'xml'\n");
  }
}
