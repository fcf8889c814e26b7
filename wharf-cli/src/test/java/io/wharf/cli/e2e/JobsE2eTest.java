package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch jobs with real processes: {@code wharf dev} (its own process, with its agent's process
 * driver) runs a job whose shell command fails with exit code 3 twice and then succeeds, and
 * one that always exits 7; every {@code wharf} command is its own process. The retries, the
 * exit codes each attempt ended with and the job's output come back through the CLI.
 */
class JobsE2eTest {
  @TempDir
  Path dir;

  static String stack(Path counter) {
    return """
        stack: batch
        namespace: default
        jobs:
          flaky:
            driver: process
            command: ["/bin/sh", "-c", "n=$(cat %s 2>/dev/null || echo 0); n=$((n+1)); echo $n > %s; echo attempt $n; [ $n -ge 3 ] || exit 3"]
            backoffLimit: 3
            restart: {delay: 200ms, maxDelay: 1s}
          broken:
            driver: process
            command: ["/bin/sh", "-c", "echo broken; exit 7"]
            backoffLimit: 1
            restart: {delay: 200ms, maxDelay: 1s}
        """.formatted(counter, counter);
  }

  /** The EXIT column of the attempts table {@code wharf job status} prints, in order. */
  static List<String> exitCodes(String status) {
    Matcher m = Pattern.compile("(?m)^\\S+-[a-z0-9]{8} +\\S+ +(succeeded|failed) +(\\S+) ").matcher(status);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1) + " " + m.group(2));
    }
    return out;
  }

  @Test
  void aFailingJobIsRetriedWithItsExitCodesKeptAndRunsAgainOnRequest() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.writeString(work.resolve("batch.yaml"), stack(work.resolve("count")));
    try (DevServerProcess dev = DevServerProcess.start(dir.resolve("data"))) {
      CliProcess wharf = new CliProcess(dev.address(), work);
      CliProcess.Result applied = wharf.run("apply", "-f", "batch.yaml", "--yes");
      assertThat(applied.exitCode()).as(applied.toString()).isZero();

      await().atMost(Duration.ofSeconds(90)).until(() -> wharf.run("job", "status", "flaky").out()
          .contains("Phase:       succeeded"));
      CliProcess.Result status = wharf.run("job", "status", "flaky");
      assertThat(status.out()).contains("Run:         1\n",
          "Completions: 1/1 succeeded, 2 failed (backoffLimit 3), 0 active (parallelism 1)\n");
      assertThat(exitCodes(status.out())).as(status.out()).containsExactly("failed 3", "failed 3", "succeeded 0");
      assertThat(Files.readString(work.resolve("count")).strip()).isEqualTo("3");

      CliProcess.Result logs = wharf.run("job", "logs", "flaky");
      assertThat(logs.exitCode()).as(logs.toString()).isZero();
      assertThat(logs.out()).as("the logs of the run's three attempts").contains("attempt 1", "attempt 2", "attempt 3");

      await().atMost(Duration.ofSeconds(60)).until(() -> wharf.run("job", "status", "broken").out()
          .contains("Phase:       failed"));
      CliProcess.Result broken = wharf.run("job", "status", "broken");
      assertThat(exitCodes(broken.out())).as(broken.out()).containsExactly("failed 7", "failed 7");
      assertThat(broken.out()).contains("BackoffLimitExceeded: 2 attempts failed, more than backoffLimit 1; "
          + "the last exited with code 7");

      CliProcess.Result again = wharf.run("job", "run", "flaky", "--wait");
      assertThat(again.exitCode()).as(again.toString()).isZero();
      assertThat(again.out()).startsWith("Job default/flaky: run 2 requested.\n").contains("Run:         2\n");
      assertThat(exitCodes(again.out())).containsExactly("succeeded 0");
      assertThat(Files.readString(work.resolve("count")).strip()).isEqualTo("4");

      CliProcess.Result failing = wharf.run("job", "run", "broken", "--wait");
      assertThat(failing.exitCode()).as(failing.toString()).isEqualTo(1);
      assertThat(exitCodes(failing.out())).containsExactly("failed 7", "failed 7");
    }
  }
}
