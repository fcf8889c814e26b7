package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.cli.CliRun;
import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as users run it: each command a separate process against {@code wharf dev} (its
 * own process), in the order a user would type them. One server for the whole class; the
 * steps build on each other, hence the order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliRoundTripTest {

  static final String STACK = """
      stack: shop
      namespace: default
      configs:
        greeting:
          file: greeting.txt
      services:
        api:
          replicas: 1
          driver: process
          command: [python3, -m, http.server, "18181", --bind, 127.0.0.1]
          ports: [{name: http, port: 18181}]
          health: {path: /, interval: 5s, timeout: 1s}
        web:
          replicas: 1
          driver: process
          command: [busybox, httpd, -f, -p, "127.0.0.1:18180"]
          ports: [{name: http, port: 18180}]
          dependsOn: {api: healthy}
      """;

  private Path dir;

  private DevServerProcess dev;
  private CliProcess wharf;

  @BeforeAll
  void startDev(@TempDir Path tmp) throws Exception {
    dir = tmp;
    dev = DevServerProcess.start(dir.resolve("data"));
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.writeString(work.resolve("greeting.txt"), "hello\n");
    Files.writeString(work.resolve("shop.yaml"), STACK);
    Files.writeString(work.resolve("shop-v2.yaml"), replaceOnce(STACK,
        "replicas: 1\n    driver: process\n    command: [busybox",
        "replicas: 3\n    driver: process\n    command: [busybox"));
    Files.writeString(work.resolve("bad.yaml"), STACK.replace("replicas: 1", "replicas: -1")
        .replace("{api: healthy}", "{apii: healthy}"));
    wharf = new CliProcess(dev.address(), work);
  }

  private static String replaceOnce(String text, String from, String to) {
    assertThat(text).contains(from);
    return text.replace(from, to);
  }

  @AfterAll
  void stopDev() throws Exception {
    if (dev != null) {
      dev.close();
    }
  }

  @Test
  @Order(1)
  void planShowsWhatApplyingWouldCreate() {
    CliProcess.Result plan = wharf.run("plan", "-f", "shop.yaml");

    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    assertThat(plan.out()).contains("Stack shop in namespace default",
        "+ create Service default/api", "+ create Service default/web",
        "+ create Config default/greeting", "Plan: ");
    assertThat(plan.out()).doesNotContain("\u001b[");
  }

  @Test
  @Order(2)
  void applyWithYesCreatesTheStack() {
    CliProcess.Result apply = wharf.run("apply", "-f", "shop.yaml", "--yes");

    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    assertThat(apply.out()).contains("+ create Service default/web")
        .containsPattern("Applied at revision \\d+: \\d+ created, 0 updated, 0 deleted\\.");
  }

  @Test
  @Order(3)
  void getListsTheServicesInATable() {
    CliProcess.Result get = wharf.run("get", "services");

    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.out().lines().toList()).hasSize(3);
    assertThat(get.out().lines().findFirst().orElseThrow())
        .matches("NAME +NAMESPACE +REPLICAS +DRIVER +AGE");
    assertThat(get.out()).containsPattern("(?m)^api +default +\\S+ +process +\\S+$")
        .containsPattern("(?m)^web +default +\\S+ +process +\\S+$");
  }

  @Test
  @Order(4)
  void getOneServiceAsJsonShowsItsSpecAndTheConfigCameFromTheFile() throws Exception {
    CliProcess.Result web = wharf.run("get", "service", "web", "-o", "json");
    CliProcess.Result greeting = wharf.run("get", "config", "greeting", "-o", "json");

    assertThat(web.exitCode()).as(web.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(web.out());
    assertThat(json.path("kind").asText()).isEqualTo("Service");
    assertThat(json.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(json.path("metadata").path("labels").path("wharf.io/stack").asText())
        .isEqualTo("shop");
    assertThat(new ObjectMapper().readTree(greeting.out()).path("spec").path("data").asText())
        .isEqualTo("hello\n");
  }

  @Test
  @Order(5)
  void applyingTheSameFileAgainChangesNothing() {
    CliProcess.Result apply = wharf.run("apply", "-f", "shop.yaml");

    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    assertThat(apply.out()).contains("No changes.");
  }

  @Test
  @Order(6)
  void aModifiedFilePlansAndAppliesAnUpdate() {
    CliProcess.Result plan = wharf.run("plan", "-f", "shop-v2.yaml");
    CliProcess.Result apply = wharf.run("apply", "-f", "shop-v2.yaml", "--yes");
    CliProcess.Result get = wharf.run("get", "service", "web");

    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    assertThat(plan.out()).contains("~ update Service default/web", "spec.replicas: 1 → 3")
        .doesNotContain("Service default/api");
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    assertThat(apply.out()).containsPattern("Applied at revision \\d+: 0 created, 1 updated");
    assertThat(get.out()).containsPattern("(?m)^web +default +\\d+/3 +process");
  }

  @Test
  @Order(7)
  void applyWithoutYesAndWithoutATerminalRefuses() {
    CliProcess.Result apply = wharf.run("apply", "-f", "shop.yaml");

    assertThat(apply.exitCode()).as(apply.toString()).isEqualTo(2);
    assertThat(apply.err()).isEqualTo("error: refusing to apply without confirmation: "
        + "no terminal to ask on; pass --yes to apply\n");
  }

  @Test
  @Order(8)
  void anInvalidStackFileExitsThreeWithEveryProblem() {
    CliProcess.Result plan = wharf.run("plan", "-f", "bad.yaml");

    assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(3);
    assertThat(plan.err()).startsWith("error: ")
        .containsPattern("(?m)^  services\\.\\w+\\.replicas: .+$")
        .containsPattern("(?m)^  services\\.web\\.dependsOn.*: .*apii.*$");
    assertThat(plan.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  @Order(9)
  void aChangeBetweenPlanAndApplyIsAConflictAndNothingIsApplied() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    try (WharfClient api = new WharfClient(ClientSettings.of(dev.address()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
      // The "user" changes a resource of the stack while the apply waits for the answer.
      CliRun.Result apply = new CliRun().address(dev.address()).token(io.wharf.testkit.auth.TestTokens.ADMIN).in(dir.resolve("work"))
          .answeringWith(question -> {
            asked.incrementAndGet();
            ObjectNode api1 = (ObjectNode) api.get("services", "default", "api");
            ((ObjectNode) api1.path("spec")).put("replicas", 5);
            api.put("services", "default", "api", api1);
            return "y";
          })
          .run("apply", "-f", "shop.yaml");

      assertThat(asked.get()).isEqualTo(1);
      assertThat(apply.exitCode()).as(apply.err()).isEqualTo(4);
      assertThat(apply.err()).startsWith("error: ").contains("changed since this plan");
      assertThat(api.get("services", "default", "web").path("spec").path("replicas").asInt())
          .as("the plan to scale web back to 1 was not applied").isEqualTo(3);
    }
  }

  @Test
  @Order(10)
  void deleteRemovesAServiceAndGetThenFailsWithExitOne() {
    CliProcess.Result delete = wharf.run("delete", "service", "web");
    CliProcess.Result get = wharf.run("get", "service", "web");

    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    assertThat(delete.out()).isEqualTo("Service default/web deleted.\n");
    assertThat(get.exitCode()).as(get.toString()).isEqualTo(1);
    assertThat(get.err()).startsWith("error: ").contains("not found").endsWith("\n");
    assertThat(get.err().lines().count()).isEqualTo(1);
  }

  @Test
  @Order(11)
  void deleteByStackFileRemovesTheRest() {
    CliProcess.Result delete = wharf.run("delete", "-f", "shop.yaml");
    CliProcess.Result services = wharf.run("get", "services");
    CliProcess.Result configs = wharf.run("get", "configs");

    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    assertThat(delete.out()).contains("Service default/api deleted.",
        "Service default/web not found (already deleted).", "Config default/greeting deleted.");
    assertThat(services.out()).isEmpty();
    assertThat(services.err()).isEqualTo("No services found in namespace default.\n");
    assertThat(configs.err()).isEqualTo("No configs found in namespace default.\n");
  }

  @Test
  @Order(12)
  void eventsListWhatHappened() {
    CliProcess.Result events = wharf.run("events");

    assertThat(events.exitCode()).as(events.toString()).isZero();
    assertThat(events.out()).contains("service/web", "service/api");
  }
}
