package io.wharf.cli.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.cli.CliRun;
import io.wharf.cli.ScriptedServer;
import org.junit.jupiter.api.Test;

/** {@code wharf job run|status|logs} against a scripted server: what they send, print and exit with. */
class JobCommandTest {
  static final String RUN = "/v1/namespaces/default/jobs/report/run";
  static final String JOB = "/v1/namespaces/default/jobs/report";

  static String job(int run, String phase, String attempts) {
    return """
        {"kind": "Job", "metadata": {"name": "report", "namespace": "default"},
         "spec": {"completions": 1, "parallelism": 1, "backoffLimit": 2},
         "status": {"phase": "%s", "run": %d, "requestedRun": %d, "active": 0, "succeeded": %d, "failed": %d,
           "startedAt": "2026-11-22T10:00:00Z", "completedAt": "2026-11-22T10:05:00Z",
           "attempts": [%s]}}""".formatted(phase, run, run, phase.equals("succeeded") ? 1 : 0,
        attempts.split("\"succeeded\": false").length - 1, attempts);
  }

  static final String ATTEMPTS = """
      {"instance": "report-aaaa1111", "node": "n1", "succeeded": false, "exitCode": 3, "reason": "exited with code 3",
       "finishedAt": "2026-11-22T10:01:00Z"},
      {"instance": "report-bbbb2222", "node": "n1", "succeeded": true, "exitCode": 0, "reason": "exited with code 0",
       "finishedAt": "2026-11-22T10:05:00Z"}""";

  @Test
  void runRequestsANewRunAndSaysWhichOne() {
    try (ScriptedServer server = new ScriptedServer().on("POST " + RUN, 202, "{\"run\": 4, \"job\": {}}")) {
      CliRun.Result r = new CliRun().address(server.address()).run("job", "run", "report");

      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo("Job default/report: run 4 requested.\n");
      assertThat(server.requests()).containsExactly("POST " + RUN);
    }
  }

  @Test
  void restartAsksTheServerToStopTheActiveRun() {
    try (ScriptedServer server = new ScriptedServer().on("POST " + RUN, 202, "{\"run\": 2, \"job\": {}}")) {
      CliRun.Result r = new CliRun().address(server.address()).run("job", "run", "report", "--restart");

      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(server.requests()).containsExactly("POST " + RUN + "?restart=true");
    }
  }

  @Test
  void anActiveRunIsAConflictWithTheServersReason() {
    try (ScriptedServer server = new ScriptedServer().on("POST " + RUN, 409, """
        {"error": {"code": "conflict", "message": "Job \\"default/report\\": run 1 is running; pass restart=true to stop it and start a new run"}}""")) {
      CliRun.Result r = new CliRun().address(server.address()).run("job", "run", "report");

      assertThat(r.exitCode()).isEqualTo(4);
      assertThat(r.err()).contains("run 1 is running; pass restart=true to stop it and start a new run");
    }
  }

  @Test
  void anUnknownJobIsNamed() {
    try (ScriptedServer server = new ScriptedServer()) {
      CliRun.Result r = new CliRun().address(server.address()).run("job", "status", "report");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("error: no job named report in namespace default\n");
    }
  }

  @Test
  void statusShowsTheRunAndEveryAttemptWithItsExitCode() {
    try (ScriptedServer server = new ScriptedServer().on("GET " + JOB, 200, job(3, "succeeded", ATTEMPTS))) {
      CliRun.Result r = new CliRun().address(server.address()).run("job", "status", "report");

      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).contains("Job:         default/report\n", "Run:         3\n", "Phase:       succeeded\n",
          "Completions: 1/1 succeeded, 1 failed (backoffLimit 2), 0 active (parallelism 1)\n");
      assertThat(r.out()).containsPattern("report-aaaa1111 +n1 +failed +3 +9m ago +exited with code 3")
          .containsPattern("report-bbbb2222 +n1 +succeeded +0 +5m ago +exited with code 0");
    }
  }

  @Test
  void runWaitExitsZeroWhenTheRunSucceeded() {
    try (ScriptedServer server = new ScriptedServer().on("POST " + RUN, 202, "{\"run\": 3, \"job\": {}}")
        .on("GET " + JOB, 200, job(3, "succeeded", ATTEMPTS))) {
      CliRun.Result r = new CliRun().address(server.address()).run("job", "run", "report", "--wait");

      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).startsWith("Job default/report: run 3 requested.\n").contains("Phase:       succeeded");
    }
  }

  @Test
  void runWaitExitsOneWhenTheRunFailed() {
    String failed = """
        {"instance": "report-cccc3333", "node": "n1", "succeeded": false, "exitCode": 7, "reason": "exited with code 7",
         "finishedAt": "2026-11-22T10:05:00Z"}""";
    try (ScriptedServer server = new ScriptedServer().on("POST " + RUN, 202, "{\"run\": 3, \"job\": {}}")
        .on("GET " + JOB, 200, job(3, "failed", failed))) {
      CliRun.Result r = new CliRun().address(server.address()).run("job", "run", "report", "--wait");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.out()).contains("Phase:       failed").containsPattern("report-cccc3333 +n1 +failed +7");
    }
  }

  @Test
  void runWaitStopsWhenAnotherRunReplacedItsRun() {
    try (ScriptedServer server = new ScriptedServer().on("POST " + RUN, 202, "{\"run\": 3, \"job\": {}}")
        .on("GET " + JOB, 200, job(4, "running", ""))) {
      CliRun.Result r = new CliRun().address(server.address()).run("job", "run", "report", "--wait");

      assertThat(r.exitCode()).isEqualTo(4);
      assertThat(r.err()).isEqualTo("error: run 4 replaced run 3\n");
    }
  }

  @Test
  void logsOfAJobWithoutInstancesInItsRunSaySo() {
    try (ScriptedServer server = new ScriptedServer().on("GET " + JOB, 200, job(3, "succeeded", ""))
        .on("GET /v1/instances", 200, "{\"items\": [], \"continue\": \"\"}")) {
      CliRun.Result r = new CliRun().address(server.address()).run("job", "logs", "report");

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("error: job default/report has no instances in run 3\n");
    }
  }

  @Test
  void jobWithoutASubcommandIsAUsageError() {
    CliRun.Result r = new CliRun().address("http://127.0.0.1:1").run("job");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("missing command: run, status or logs");
  }
}
