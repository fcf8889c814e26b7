package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The must-show: a chain A → B → C of real processes ({@code sh} scripts on the process
 * driver, under {@code wharf dev}) starts in dependency order C, B, A and stops in reverse A, B, C
 * after {@code wharf delete -f --wait}, which returns once all three are gone. Every timestamp is written by the processes themselves: a
 * {@code start} line when the script begins, a {@code stop} line from its SIGTERM trap.
 */
class DependencyOrderE2eTest {

  /** Logs its start, becomes ready (the marker file its readiness probe tests), logs SIGTERM. */
  static final String SCRIPT = """
      #!/bin/sh
      log="$2/$1.log"
      trap 'echo "stop $(date +%s%N)" >> "$log"; exit 0' TERM INT
      echo "start $(date +%s%N)" >> "$log"
      touch "$2/$1.ready"
      while :; do sleep 0.05; done
      """;

  @TempDir
  Path dir;

  static String service(String name, Path script, Path out, String dependsOn) {
    return """
          %1$s:
            driver: process
            command: [sh, %2$s, %1$s, %3$s]
            stopGracePeriod: 2s
            health:
              readiness: {type: command, command: [test, -f, %3$s/%1$s.ready], interval: 1s, timeout: 1s}
        """.formatted(name, script, out) + (dependsOn == null ? "" : """
            dependsOn:
              %s: {condition: healthy, timeout: 2m}
        """.formatted(dependsOn));
  }

  @Test
  void aChainStartsDependencyFirstAndStopsInReverse() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path out = Files.createDirectories(dir.resolve("out"));
    Path script = work.resolve("svc.sh");
    Files.writeString(script, SCRIPT);
    // Declared in the reverse of the start order, so declaration order cannot explain the result.
    Files.writeString(work.resolve("chain.yaml"), "stack: chain\nnamespace: default\nservices:\n"
        + service("a", script, out, "b") + service("b", script, out, "c") + service("c", script, out, null));

    try (DevServerProcess dev = DevServerProcess.start(dir.resolve("data"))) {
      CliProcess wharf = new CliProcess(dev.address(), work);

      CliProcess.Result plan = wharf.run("plan", "-f", "chain.yaml");
      assertThat(plan.exitCode()).as(plan.toString()).isZero();
      assertThat(plan.out()).contains("Start order: 1. c  2. b  3. a");

      CliProcess.Result apply = wharf.run("apply", "-f", "chain.yaml", "--yes");
      assertThat(apply.exitCode()).as(apply.toString()).isZero();
      await().atMost(Duration.ofSeconds(90)).until(() -> stamp(out, "a", "start") > 0);
      long startC = stamp(out, "c", "start");
      long startB = stamp(out, "b", "start");
      long startA = stamp(out, "a", "start");
      assertThat(startC).as("c starts first").isPositive().isLessThan(startB);
      assertThat(startB).as("b starts before a").isLessThan(startA);
      assertThat(stamp(out, "c", "stop")).as("nothing stopped yet").isZero();

      CliProcess.Result delete = wharf.run("delete", "-f", "chain.yaml", "--wait");
      assertThat(delete.exitCode()).as(delete.toString()).isZero();
      assertThat(delete.out()).contains("Service default/a stopping (after its dependents).",
          "Stop order: 1. a  2. b  3. c", "Service default/c stopped and deleted.");
      await().atMost(Duration.ofSeconds(30)).until(() -> stamp(out, "c", "stop") > 0);
      long stopA = stamp(out, "a", "stop");
      long stopB = stamp(out, "b", "stop");
      long stopC = stamp(out, "c", "stop");
      assertThat(stopA).as("a stops first").isPositive().isLessThan(stopB);
      assertThat(stopB).as("b stops before c").isLessThan(stopC);
      assertThat(stopA).as("a ran until the deletion").isGreaterThan(startA);
      CliProcess.Result services = wharf.run("get", "services");
      assertThat(services.err()).as(services.toString()).isEqualTo("No services found in namespace default.\n");
      // Each process wrote exactly one start and one stop: none was restarted on the way.
      for (String s : List.of("a", "b", "c")) {
        assertThat(Files.readAllLines(out.resolve(s + ".log"))).hasSize(2);
      }
    }
  }

  /** The nanosecond timestamp of the process's {@code what} line, or 0 when it has not written it. */
  static long stamp(Path out, String service, String what) throws IOException {
    Path log = out.resolve(service + ".log");
    if (!Files.exists(log)) {
      return 0;
    }
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith(what + " ")) {
        return Long.parseLong(line.substring(what.length() + 1).strip());
      }
    }
    return 0;
  }
}
