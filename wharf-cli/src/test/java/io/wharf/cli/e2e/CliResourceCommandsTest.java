package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read and delete commands as separate processes against {@code wharf dev} (its own process),
 * on objects written through the API. Each test uses its own object names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliResourceCommandsTest {

  private DevServerProcess dev;
  private WharfClient api;
  private CliProcess wharf;

  @BeforeAll
  void startDev(@TempDir Path dir) throws Exception {
    dev = DevServerProcess.start(dir.resolve("data"));
    api = new WharfClient(ClientSettings.of(dev.address()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
    wharf = new CliProcess(dev.address(), Files.createDirectories(dir.resolve("work")));
  }

  @AfterAll
  void stopDev() throws Exception {
    if (api != null) {
      api.close();
    }
    if (dev != null) {
      dev.close();
    }
  }

  private JsonNode putService(String namespace, String name, int replicas) {
    ObjectNode service = api.newObject();
    service.put("kind", "Service");
    service.putObject("metadata").put("name", name).put("namespace", namespace)
        .putObject("labels").put("app", name);
    ObjectNode spec = service.putObject("spec");
    spec.put("replicas", replicas);
    ObjectNode task = spec.putArray("tasks").addObject();
    task.put("name", name).put("driver", "process");
    // A quiet long-running task: `wharf dev` now runs what the services ask for.
    task.putArray("command").add("sleep").add("300");
    return api.put("services", namespace, name, service);
  }

  @Test
  void getListsAndShowsObjectsAsTableJsonAndYaml() throws Exception {
    putService("team-a", "front", 2);
    putService("team-a", "back", 1);
    putService("team-b", "other", 1);

    CliProcess.Result table = wharf.run("get", "services", "-n", "team-a");
    CliProcess.Result all = wharf.run("get", "svc", "-A", "-l", "app=other");
    CliProcess.Result json = wharf.run("get", "service", "front", "-n", "team-a", "-o", "json");
    CliProcess.Result yaml = wharf.run("get", "service", "front", "-n", "team-a", "-o", "yaml");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out().lines().toList()).hasSize(3);
    assertThat(table.out()).startsWith("NAME    NAMESPACE   REPLICAS   DRIVER    AGE\n")
        .containsPattern("(?m)^back +team-a +[01]/1 +process +\\d+s$")
        .containsPattern("(?m)^front +team-a +[0-2]/2 +process +\\d+s$");
    assertThat(all.out()).containsPattern("(?m)^other +team-b ").doesNotContain("front");
    JsonNode front = new ObjectMapper().readTree(json.out());
    assertThat(front.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(front.path("metadata").path("namespace").asText()).isEqualTo("team-a");
    assertThat(yaml.out()).startsWith("kind: Service\n").contains("  replicas: 2\n");
  }

  @Test
  void describeShowsFieldsAndTheObjectsEvents() {
    putService("default", "described", 1);
    putService("default", "described", 4);

    CliProcess.Result describe = wharf.run("describe", "service", "described");

    assertThat(describe.exitCode()).as(describe.toString()).isZero();
    assertThat(describe.out()).startsWith("Name:       described\nNamespace:  default\n")
        .contains("Kind:       Service\n", "Labels:     app=described\n", "  replicas: 4\n",
            "Events:\n  AGE ")
        .containsPattern("(?m)^  \\S+ +Created +")
        .containsPattern("(?m)^  \\S+ +Updated +");
  }

  @Test
  void secretValuesAreNeverPrinted() {
    ObjectNode secret = api.newObject();
    secret.put("kind", "Secret");
    secret.putObject("metadata").put("name", "db-password").put("namespace", "default");
    secret.putObject("spec").put("value", "hunter2-very-secret");
    api.put("secrets", "default", "db-password", secret);

    for (String[] args : new String[][] {
        {"get", "secrets"}, {"get", "secret", "db-password", "-o", "json"},
        {"get", "secret", "db-password", "-o", "yaml"}, {"describe", "secret", "db-password"}}) {
      CliProcess.Result result = wharf.run(args);
      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).as(String.join(" ", args)).doesNotContain("hunter2");
    }
  }

  @Test
  void deleteRemovesAnObjectAndGetThenFailsWithExitOne() {
    putService("default", "doomed", 1);

    CliProcess.Result delete = wharf.run("delete", "service", "doomed");
    CliProcess.Result get = wharf.run("get", "service", "doomed");

    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    assertThat(delete.out()).isEqualTo("Service default/doomed deleted.\n");
    assertThat(get.exitCode()).as(get.toString()).isEqualTo(1);
    assertThat(get.out()).isEmpty();
    assertThat(get.err()).startsWith("error: ").contains("not found");
    assertThat(get.err().lines().count()).as("one line, no stack trace").isEqualTo(1);
  }

  @Test
  void externalEndpointsAreAddedListedAndRemoved() {
    CliProcess.Result add = wharf.run("endpoint", "add", "db-vm1", "-n", "ext", "--service", "db",
        "--address", "10.0.0.5", "--port", "postgres=5432", "-p", "metrics=9187");
    CliProcess.Result ls = wharf.run("endpoint", "ls", "-n", "ext");
    CliProcess.Result one = wharf.run("endpoint", "ls", "db", "-n", "ext", "-o", "json");
    CliProcess.Result badPort = wharf.run("endpoint", "add", "x", "--service", "db", "--address", "10.0.0.6",
        "--port", "postgres");
    CliProcess.Result badAddress = wharf.run("endpoint", "add", "y", "-n", "ext", "--service", "db",
        "--address", "db.internal");
    CliProcess.Result rm = wharf.run("endpoint", "rm", "db-vm1", "-n", "ext");
    CliProcess.Result gone = wharf.run("endpoint", "ls", "db", "-n", "ext");

    assertThat(add.exitCode()).as(add.toString()).isZero();
    assertThat(add.out()).isEqualTo("Endpoint ext/db-vm1 added: db at 10.0.0.5 {postgres=5432, metrics=9187}\n");
    assertThat(ls.exitCode()).as(ls.toString()).isZero();
    assertThat(ls.out()).isEqualTo("""
        SERVICE   ADDRESS    PORTS                        SOURCE            NODE
        db        10.0.0.5   metrics=9187,postgres=5432   external/db-vm1   -
        """);
    assertThat(one.out()).contains("\"service\" : \"db\"").contains("\"address\" : \"10.0.0.5\"");
    assertThat(badPort.exitCode()).isEqualTo(2);
    assertThat(badPort.err()).contains("--port takes NAME=PORT such as postgres=5432, not \"postgres\"");
    assertThat(badAddress.exitCode()).as(badAddress.toString()).isEqualTo(3);
    assertThat(badAddress.err()).contains(
        "spec.address: must be an IPv4 or IPv6 address such as 10.0.0.5, got \"db.internal\"");
    assertThat(rm.exitCode()).as(rm.toString()).isZero();
    assertThat(rm.out()).isEqualTo("Endpoint ext/db-vm1 removed.\n");
    assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(1);
    assertThat(gone.err()).isEqualTo("error: no service or external endpoint named \"ext/db\"\n");
  }

  @Test
  void aDeleteAtAStaleRevisionIsAConflictWithExitFour() {
    long seen = putService("default", "contested", 1).path("metadata").path("revision").asLong();
    putService("default", "contested", 2);

    CliProcess.Result delete = wharf.run("delete", "service", "contested",
        "--revision", Long.toString(seen));

    assertThat(delete.exitCode()).as(delete.toString()).isEqualTo(4);
    assertThat(delete.err()).startsWith("error: ");
    assertThat(api.get("services", "default", "contested").path("spec").path("replicas").asInt())
        .isEqualTo(2);
  }

  @Test
  void eventsFollowPrintsNewEventsAsTheyHappen() throws Exception {
    putService("follow", "before", 1);
    List<String> lines = new CopyOnWriteArrayList<>();
    Process follow = wharf.start(lines, "events", "--follow", "-n", "follow");
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream()
          .anyMatch(l -> l.contains("service/before")));
      putService("follow", "after", 1);

      await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream()
          .anyMatch(l -> l.contains("service/after")));
      assertThat(lines.getFirst()).startsWith("TIME ");
      // Columns: TIME NAMESPACE TYPE REASON OBJECT MESSAGE; other events about the service (type
      // Created, reason InstancesPlaced) arrive too now that every change of a revision is delivered.
      assertThat(lines).filteredOn(l -> l.contains("service/after") && l.split("\\s+")[3].equals("Created"))
          .singleElement()
          .asString().matches("\\d\\d:\\d\\d:\\d\\d +follow +Created +.*service/after.*");
      assertThat(follow.isAlive()).isTrue();
    } finally {
      follow.destroy();
      follow.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUnreachableServerIsExitOneWithTheAddress() {
    CliProcess.Result get = wharf.run("get", "services", "--addr", "http://127.0.0.1:1");

    assertThat(get.exitCode()).isEqualTo(1);
    assertThat(get.err()).isEqualTo("error: cannot reach the Wharf server at http://127.0.0.1:1: "
        + "connection refused (is it running? set --addr or WHARF_ADDR)\n");
  }

  @Test
  void versionShowsClientAndServer() {
    CliProcess.Result version = wharf.run("version");

    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.out()).startsWith("Client: 0.1.0-SNAPSHOT\nServer: 0.1.0-SNAPSHOT (API v1, ");
  }
}
