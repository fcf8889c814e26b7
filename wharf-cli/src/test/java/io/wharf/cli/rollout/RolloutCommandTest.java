package io.wharf.cli.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.cli.CliRun;
import io.wharf.cli.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout commands and {@code apply --wait} against scripted server answers. */
class RolloutCommandTest {
  static final String ROLLOUT = "/v1/namespaces/default/services/web/rollout";
  static final String PLAN = """
      {"stack":"shop","namespace":"default","revision":57,"changes":[
        {"action":"update","kind":"Service","namespace":"default","name":"web","diff":[]}],
       "summary":{"create":0,"update":1,"delete":0,"unchanged":0}}""";
  static final String APPLIED = PLAN.replace("\"revision\":57", "\"revision\":58");

  /** A view: the spec's template {@code template}, the current rollout of {@code hash} in {@code phase}. */
  static String view(String template, String hash, String phase, String history) {
    return """
        {"namespace":"default","name":"web","revision":70,"template":"%s","replicas":3,
         "rollout":{"revision":60,"hash":"%s","phase":"%s","updated":2,"startedAt":"2026-11-22T10:00:00Z",
                    "message":"2 of 3 instances updated"},
         "history":[%s],"instances":{"total":4,"current":2}}""".formatted(template, hash, phase, history);
  }

  static final String ROLLED_BACK = """
      {"revision":40,"hash":"bbbbbbbbbbbb","phase":"rolled-back","startedAt":"2026-11-22T10:00:00Z",
       "finishedAt":"2026-11-22T10:01:00Z","reason":"instance web-abcdefgh was not healthy within 20s"}""";

  @TempDir
  Path dir;

  @BeforeEach
  void stackFile() throws Exception {
    Files.writeString(dir.resolve("shop.yaml"), "name: shop\n");
  }

  CliRun.Result apply(ScriptedServer server, String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "apply";
    args[1] = "-f";
    args[2] = "shop.yaml";
    System.arraycopy(more, 0, args, 3, more.length);
    return new CliRun().address(server.address()).in(dir).answering("yes").run(args);
  }

  @Test
  void applyWaitExitsZeroWhenTheRolloutSucceeded() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, PLAN).on("POST /v1/apply", 200, APPLIED)
        .on("GET " + ROLLOUT, 200, view("aaaaaaaaaaaa", "aaaaaaaaaaaa", "succeeded", ""))) {
      CliRun.Result r = apply(server, "--wait");
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).contains("default/web: succeeded, 2/3 updated, 2/4 instances on template aaaaaaaaaaaa")
          .endsWith("rollout complete\n");
    }
  }

  @Test
  void applyWaitExitsSixWhenTheRolloutWasRolledBack() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, PLAN).on("POST /v1/apply", 200, APPLIED)
        .on("GET " + ROLLOUT, 200, view("aaaaaaaaaaaa", "aaaaaaaaaaaa", "progressing", ROLLED_BACK.replace("\"revision\":40", "\"revision\":58")))) {
      CliRun.Result r = apply(server, "--wait");
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(6);
      assertThat(r.out()).endsWith("rollout default/web: rolled back: instance web-abcdefgh was not healthy within 20s\n");
    }
  }

  @Test
  void aRollbackOfAnEarlierApplyDoesNotFailThisOne() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, PLAN).on("POST /v1/apply", 200, APPLIED)
        .on("GET " + ROLLOUT, 200, view("aaaaaaaaaaaa", "aaaaaaaaaaaa", "succeeded", ROLLED_BACK))) {
      assertThat(apply(server, "--wait").exitCode()).isZero();
    }
  }

  @Test
  void applyWaitExitsSevenOnTimeout() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, PLAN).on("POST /v1/apply", 200, APPLIED)
        .on("GET " + ROLLOUT, 200, view("cccccccccccc", "aaaaaaaaaaaa", "succeeded", ""))) {
      CliRun.Result r = apply(server, "--wait", "--timeout", "1s");
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(7);
      assertThat(r.out()).contains("default/web: pending (template cccccccccccc not picked up yet)")
          .endsWith("timed out after 1s waiting for the rollout (it goes on; see wharf rollout status)\n");
    }
  }

  @Test
  void withoutATerminalTheProgressIsPlainLinesWithoutEscapes() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, PLAN).on("POST /v1/apply", 200, APPLIED)
        .on("GET " + ROLLOUT, 200, view("aaaaaaaaaaaa", "aaaaaaaaaaaa", "succeeded", ""))) {
      CliRun.Result r = new CliRun().address(server.address()).in(dir).run("apply", "-f", "shop.yaml", "--yes", "--wait");
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).doesNotContain("\u001b[");
    }
  }

  @Test
  void onATerminalTheProgressIsRedrawnInPlace() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, PLAN).on("POST /v1/apply", 200, APPLIED)
        .on("GET " + ROLLOUT, 200, view("aaaaaaaaaaaa", "aaaaaaaaaaaa", "succeeded", ""))) {
      CliRun.Result r = apply(server, "--wait");
      assertThat(r.out()).contains("\r\u001b[2Kdefault/web: succeeded");
    }
  }

  @Test
  void aBadTimeoutIsAUsageError() {
    try (ScriptedServer server = new ScriptedServer()) {
      CliRun.Result r = apply(server, "--wait", "--timeout", "soon");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("error: --timeout: not a positive duration like 90s or 10m: \"soon\"\n");
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void statusAndHistoryShowTheRollout() {
    try (ScriptedServer server = new ScriptedServer()
        .on("GET " + ROLLOUT, 200, view("aaaaaaaaaaaa", "aaaaaaaaaaaa", "progressing", ROLLED_BACK))) {
      CliRun.Result status = new CliRun().address(server.address()).run("rollout", "status", "web");
      assertThat(status.exitCode()).isZero();
      assertThat(status.out()).startsWith("default/web: progressing, 2/3 updated, 2/4 instances on template aaaaaaaaaaaa"
          + " - 2 of 3 instances updated\n");
      CliRun.Result history = new CliRun().address(server.address()).run("rollout", "history", "web");
      assertThat(history.out()).contains("REVISION").contains("rolled-back").contains("progressing");
      assertThat(history.out().indexOf("rolled-back")).isLessThan(history.out().indexOf("progressing"));
    }
  }

  @Test
  void promoteUndoAndRestartPostToTheirEndpoints() {
    String v = view("aaaaaaaaaaaa", "aaaaaaaaaaaa", "progressing", "");
    try (ScriptedServer server = new ScriptedServer().on("POST " + ROLLOUT + "/promote", 202, v)
        .on("POST " + ROLLOUT + "/undo", 202, v).on("POST " + ROLLOUT + "/restart", 202, v)) {
      assertThat(new CliRun().address(server.address()).run("rollout", "promote", "web").out())
          .startsWith("Promoted default/web.\n");
      assertThat(new CliRun().address(server.address()).run("rollout", "undo", "web", "--to", "59").out())
          .isEqualTo("Rolling default/web back to template aaaaaaaaaaaa.\n");
      assertThat(new CliRun().address(server.address()).run("rollout", "restart", "web", "-n", "default").exitCode())
          .isZero();
      assertThat(server.requests()).containsExactly("POST " + ROLLOUT + "/promote", "POST " + ROLLOUT + "/undo?to=59",
          "POST " + ROLLOUT + "/restart");
    }
  }

  @Test
  void nothingToPromoteIsTheServersConflict() {
    try (ScriptedServer server = new ScriptedServer().on("POST " + ROLLOUT + "/promote", 409,
        "{\"error\":{\"code\":\"conflict\",\"message\":\"nothing to promote: service default/web has no rollout in progress\"}}")) {
      CliRun.Result r = new CliRun().address(server.address()).run("rollout", "promote", "web");
      assertThat(r.exitCode()).isEqualTo(4);
      assertThat(r.err()).contains("nothing to promote: service default/web has no rollout in progress");
    }
  }
}
