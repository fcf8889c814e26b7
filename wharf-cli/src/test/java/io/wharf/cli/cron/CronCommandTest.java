package io.wharf.cli.cron;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.cli.CliRun;
import io.wharf.cli.ScriptedServer;
import org.junit.jupiter.api.Test;

/** {@code wharf cron ...} against a scripted server: what is printed, what is sent, the exit codes. */
class CronCommandTest {
  private static final String LIST = """
      {"kind":"CronJobList","items":[
        {"kind":"CronJob","metadata":{"name":"nightly","namespace":"default"},
         "spec":{"schedule":"30 2 * * *","timeZone":"Europe/Berlin","suspend":false},
         "status":{"lastScheduledAt":"2026-11-22T10:05:00Z","nextScheduleAt":"2026-11-22T10:15:00Z",
                   "activeJobs":["nightly-1795255500"]}},
        {"kind":"CronJob","metadata":{"name":"paused","namespace":"default"},
         "spec":{"schedule":"@hourly","suspend":true},"status":{}}]}""";

  @Test
  void lsShowsScheduleZoneLastNextActiveAndSuspended() {
    try (ScriptedServer server = new ScriptedServer().on("GET /v1/cronjobs", 200, LIST)) {
      CliRun.Result r = new CliRun().address(server.address()).run("cron", "ls");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("""
          NAME      SCHEDULE     TIMEZONE        LAST     NEXT    ACTIVE   SUSPENDED
          nightly   30 2 * * *   Europe/Berlin   5m ago   in 5m   1        no
          paused    @hourly      UTC             never    -       0        yes
          """);
    }
  }

  @Test
  void triggerStartsARunAndPrintsItsJobAndRunId() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/namespaces/default/cronjobs/nightly/trigger", 201,
        "{\"kind\":\"Job\",\"metadata\":{\"name\":\"nightly-m1795255800000\"},"
            + "\"spec\":{\"tasks\":[{\"env\":{\"WHARF_RUN_ID\":\"42\"}}]}}")) {
      CliRun.Result r = new CliRun().address(server.address()).run("cron", "trigger", "nightly");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("Started job nightly-m1795255800000 of cron job default/nightly (run id 42).\n");
      assertThat(server.requests()).containsExactly("POST /v1/namespaces/default/cronjobs/nightly/trigger");
    }
  }

  @Test
  void suspendAndResumeCallTheirActionsInTheGivenNamespace() {
    try (ScriptedServer server = new ScriptedServer()
        .on("POST /v1/namespaces/ops/cronjobs/nightly/suspend", 200, "{}")
        .on("POST /v1/namespaces/ops/cronjobs/nightly/resume", 200, "{}")) {
      CliRun.Result s = new CliRun().address(server.address()).run("cron", "suspend", "nightly", "-n", "ops");
      assertThat(s.out()).isEqualTo("Cron job ops/nightly is suspended: no new slots fire.\n");
      CliRun.Result r = new CliRun().address(server.address()).run("cron", "resume", "nightly", "-n", "ops");
      assertThat(r.out()).isEqualTo("Cron job ops/nightly is resumed: slots fire again.\n");
      assertThat(server.requests()).containsExactly("POST /v1/namespaces/ops/cronjobs/nightly/suspend",
          "POST /v1/namespaces/ops/cronjobs/nightly/resume");
    }
  }

  @Test
  void suspendingASuspendedCronJobIsAConflictWithTheServersMessage() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/namespaces/default/cronjobs/nightly/suspend", 409,
        "{\"error\":{\"code\":\"conflict\",\"message\":\"CronJob \\\"default/nightly\\\" is already suspended\"}}")) {
      CliRun.Result r = new CliRun().address(server.address()).run("cron", "suspend", "nightly");
      assertThat(r.exitCode()).isEqualTo(4);
      assertThat(r.err()).isEqualTo("error: CronJob \"default/nightly\" is already suspended\n");
    }
  }

  @Test
  void triggerOfAnUnknownCronJobFailsWithTheServersMessage() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/namespaces/default/cronjobs/nope/trigger", 404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"CronJob \\\"default/nope\\\" not found\"}}")) {
      CliRun.Result r = new CliRun().address(server.address()).run("cron", "trigger", "nope");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("error: CronJob \"default/nope\" not found\n");
    }
  }

  @Test
  void cronWithoutACommandIsAUsageError() {
    CliRun.Result r = new CliRun().address("http://127.0.0.1:1").run("cron");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: missing command: ls, trigger, suspend or resume\nTry 'wharf cron --help'.\n");
  }
}
