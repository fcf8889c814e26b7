package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf audit} against a real {@code wharf dev}: the table and JSON lines, the filters,
 * {@code --follow} printing a new entry, and every entry still there after the server was killed
 * with SIGKILL and restarted on the same data directory.
 */
class AuditE2eTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "e2e-Sup3rS3cret-audit";

  @TempDir Path dir;

  private static String stack(int replicas) {
    return "stack: shop\nnamespace: default\nservices:\n  web:\n    command: [\"/bin/sleep\", \"1000\"]\n"
        + "    replicas: " + replicas + "\nsecrets:\n  db-password:\n    value: " + SECRET + "-" + replicas + "\n";
  }

  private static List<JsonNode> lines(String out) throws Exception {
    List<JsonNode> entries = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        entries.add(JSON.readTree(line));
      }
    }
    return entries;
  }

  /** What identifies an entry: its sequence, verb, object and revision. */
  private static List<String> identities(List<JsonNode> entries) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : entries) {
      out.add(e.path("sequence").asLong() + " " + e.path("verb").asText() + " " + e.path("object") + " "
          + e.path("revision"));
    }
    return out;
  }

  @Test
  void auditShowsEveryChangeFollowsNewOnesAndSurvivesAKillNine() throws Exception {
    Path data = dir.resolve("data");
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.writeString(work.resolve("shop.yaml"), stack(1));
    Files.writeString(work.resolve("shop-v2.yaml"), stack(2));
    Files.writeString(work.resolve("bad.yaml"), "stack: shop\nnamespace: default\nservices:\n  web:\n    replicas: -1\n");
    List<String> before;
    try (DevServerProcess dev = DevServerProcess.start(data)) {
      CliProcess wharf = new CliProcess(dev.address(), work);
      assertThat(wharf.run("apply", "-f", "shop.yaml", "--yes").exitCode()).isZero();
      assertThat(wharf.run("apply", "-f", "bad.yaml", "--yes").exitCode()).as("refused at plan: a read, not audited")
          .isEqualTo(3);
      assertThat(wharf.run("cron", "trigger", "nope").exitCode()).as("a refused change").isNotZero();

      List<String> followed = new CopyOnWriteArrayList<>();
      Process follow = wharf.start(followed, "audit", "--follow", "--since", "1h", "-o", "json", "--kind", "Stack");
      try {
        // the backlog (the first apply) shows the follower is connected; then one new change
        await().atMost(Duration.ofSeconds(90)).until(() -> followed.size() == 1);
        assertThat(wharf.run("apply", "-f", "shop-v2.yaml", "--yes").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> followed.size() == 2);
        JsonNode first = JSON.readTree(followed.get(0));
        JsonNode seen = JSON.readTree(followed.get(1));
        assertThat(seen.path("verb").asText()).isEqualTo("apply");
        assertThat(seen.path("object").path("name").asText()).isEqualTo("shop");
        assertThat(seen.path("committed").asBoolean()).isTrue();
        assertThat(seen.path("sequence").asLong()).isGreaterThan(first.path("sequence").asLong());
        assertThat(seen.path("changes").toString()).contains("spec.replicas").doesNotContain(SECRET);
      } finally {
        follow.destroy();
        follow.waitFor();
      }

      CliProcess.Result table = wharf.run("audit", "--since", "1h", "--principal", "user:admin", "--kind", "Stack");
      assertThat(table.exitCode()).as(table.toString()).isZero();
      String[] rows = table.out().split("\n");
      assertThat(rows[0].split("\\s+")).containsExactly("TIME", "PRINCIPAL", "VERB", "OBJECT", "REVISION", "RESULT",
          "SOURCE");
      assertThat(rows[1]).contains("user:admin").contains("apply").contains("Stack/default/shop").contains(" 200 ")
          .contains("127.0.0.1");
      CliProcess.Result refused = wharf.run("audit", "--kind", "CronJob");
      assertThat(refused.out()).contains("trigger").contains("CronJob/default/nope").contains(" 404 ");

      CliProcess.Result json = wharf.run("audit", "-o", "json");
      assertThat(json.exitCode()).as(json.toString()).isZero();
      assertThat(json.out()).doesNotContain(SECRET);
      List<JsonNode> entries = lines(json.out());
      assertThat(entries.stream().filter(e -> e.path("verb").asText().equals("apply")
          && e.path("committed").asBoolean())).hasSizeGreaterThanOrEqualTo(2);
      before = identities(entries);

      CliProcess.Result nobody = wharf.run("audit", "--principal", "user:nobody");
      assertThat(nobody.exitCode()).isZero();
      assertThat(nobody.err()).contains("No audit entries found.");
      dev.kill();
    }
    try (DevServerProcess dev = DevServerProcess.start(data)) {
      CliProcess wharf = new CliProcess(dev.address(), work);
      CliProcess.Result json = wharf.run("audit", "-o", "json");
      assertThat(json.exitCode()).as(json.toString()).isZero();
      assertThat(identities(lines(json.out()))).as("every entry survives kill -9").containsAll(before);
      assertThat(dev.stop()).isIn(0, 143);
    }
  }
}
