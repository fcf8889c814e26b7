package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user deletes a secret a service takes: the running instance keeps running; an instance that
 * starts meanwhile (here: the old one deleted, a new one placed) waits, and {@code wharf ps} says
 * for what; applying the stack again creates the secret and the waiting instance starts by itself
 * with it. A real {@code wharf dev} (its own process, with its agent) and the CLI as processes.
 */
class WaitingForSecretE2eTest {
  @TempDir Path dir;

  @Test
  void anInstanceWaitsForADeletedSecretAndStartsOnceTheStackCreatesItAgain() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.writeString(work.resolve("app.yaml"), """
        stack: vault
        namespace: default
        secrets:
          db-password: {value: "pw-e2e"}
        services:
          app:
            replicas: 1
            driver: process
            command: [sh, -c, 'echo "seen=$DB_PASSWORD from $WHARF_INSTANCE_NAME"; exec sleep 600']
            secrets:
              - {name: db-password, env: DB_PASSWORD}
        """);
    try (DevServerProcess dev = DevServerProcess.in(dir, "dev", "--port", "0", "--data-dir",
        dir.resolve("data").toString(), "--dns", "off", "--gateway", "off")) {
      CliProcess wharf = new CliProcess(dev.address(), work);
      ok(wharf.run("apply", "-f", "app.yaml", "--yes"));
      String first = awaitRunningInstance(wharf);
      awaitLog(wharf, "seen=pw-e2e from " + first);

      ok(wharf.run("delete", "secret", "db-password"));
      // The agent saw the deletion and kept the instance running with the value it started with.
      await().atMost(Duration.ofSeconds(30)).until(() -> dev.output()
          .contains("instance default/" + first + " keeps running with the configs and secrets it started with"));
      assertThat(awaitRunningInstance(wharf)).isEqualTo(first);
      ok(wharf.run("delete", "instance", first));

      String reason = "secret db-password not found in namespace default";
      String[] waiting = new String[1];
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        CliProcess.Result ps = ok(wharf.run("ps"));
        assertThat(ps.out()).contains("REASON");
        String row = ps.out().lines().filter(l -> l.contains(" waiting ")).findFirst().orElse("");
        assertThat(row).as(ps.out()).endsWith(reason).doesNotContain(first);
        waiting[0] = row.split("\\s+")[0];
        assertThat(cells(ps.out(), waiting[0]).get(5)).isEqualTo("0");
      });
      assertThat(ok(wharf.run("get", "instance", waiting[0], "-o", "json")).out())
          .contains("\"waitingReason\" : \"" + reason + "\"");

      ok(wharf.run("apply", "-f", "app.yaml", "--yes"));

      assertThat(awaitRunningInstance(wharf)).isEqualTo(waiting[0]);
      awaitLog(wharf, "seen=pw-e2e from " + waiting[0]);
      List<String> row = cells(ok(wharf.run("ps")).out(), waiting[0]);
      assertThat(List.of(row.get(3), row.get(5), row.getLast())).containsExactly("running", "0", "-");
    }
  }

  /** The cells of an instance's row of {@code wharf ps}: NAME SERVICE NODE STATE HEALTH RESTARTS AGE REASON. */
  private static List<String> cells(String ps, String instance) {
    String row = ps.lines().filter(l -> l.startsWith(instance)).findFirst().orElseThrow();
    return List.of(row.trim().split("\\s+"));
  }

  private static String awaitRunningInstance(CliProcess wharf) {
    String[] name = new String[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      List<String> rows = ok(wharf.run("ps")).out().lines().filter(l -> l.startsWith("app-")).toList();
      if (rows.size() != 1 || !rows.getFirst().contains(" running ")) return false;
      name[0] = rows.getFirst().split("\\s+")[0];
      return true;
    });
    return name[0];
  }

  private static void awaitLog(CliProcess wharf, String line) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> ok(wharf.run("logs", "app")).out().contains(line));
  }

  private static CliProcess.Result ok(CliProcess.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }
}
