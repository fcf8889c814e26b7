package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.Service;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.server.ControlPlane;
import io.wharf.testkit.proc.MarkedProcesses;
import io.wharf.store.embedded.EmbeddedStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a {@code wharf agent} process: its workloads keep running, the next agent
 * adopts them (no duplicates), and status, ps, logs and exec carry on through the server.
 */
class AgentProcessKillTest {

  @TempDir
  Path dir;

  private final String marker = "wharf-kill-test-" + UUID.randomUUID();
  private EmbeddedStore store;
  private ControlPlane server;
  private WharfClient client;

  @BeforeEach
  void startServer() {
    store = EmbeddedStore.open(dir.resolve("store"));
    server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
    client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
  }

  @AfterEach
  void stopEverything() {
    for (long pid : pids()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    client.close();
    server.close();
    store.close();
  }

  @Test
  void workloadsSurviveKillOfTheAgentAndTheNextAgentAdoptsThemWithoutDuplicates() throws Exception {
    String api = server.apiAddress().toString();
    Path data = dir.resolve("agent");
    var resources = new ResourceClient(client);
    List<Long> before;
    try (var agent = new AgentProcess(api, "node-k", data)) {
      resources.put(new Service(Metadata.of("ticker", "default"), ServiceSpec.of(2, TaskSpec.main("main",
          new ProcessDriver(List.of("sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done # " + marker),
              List.of(), null)))));
      await().atMost(Duration.ofSeconds(30)).until(() -> instances().size() == 2
          && instances().stream().allMatch(i -> "running".equals(i.path("status").path("state").asText())));
      before = pids();
      assertThat(before).hasSize(2);

      agent.kill(); // SIGKILL: no shutdown hook, no cleanup
    }
    assertThat(before).allMatch(AgentProcessKillTest::alive);
    List<String> names = instances().stream().map(i -> i.path("metadata").path("name").asText()).toList();

    try (var agent = new AgentProcess(api, "node-k", data)) {
      // Adopted, not started again: the very same processes, and only them.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(agent.output())
          .contains("adopting instance default/" + names.get(0), "adopting instance default/" + names.get(1)));
      assertThat(pids()).containsExactlyInAnyOrderElementsOf(before);
      assertThat(instances().stream().map(i -> i.path("metadata").path("name").asText())).containsExactlyInAnyOrderElementsOf(names);

      // Status carries on: a crash of an adopted task is noticed, restarted and counted.
      ProcessHandle.of(before.getFirst()).orElseThrow().destroyForcibly();
      await().atMost(Duration.ofSeconds(30)).until(() -> pids().size() == 2 && !pids().contains(before.getFirst()));
      await().atMost(Duration.ofSeconds(30)).until(() -> instances().stream()
          .mapToInt(i -> i.path("status").path("restarts").asInt()).sum() == 1);

      var cli = new CliProcess(api, dir);
      CliProcess.Result ps = cli.run("ps");
      assertThat(ps.exitCode()).as(ps.toString()).isZero();
      assertThat(ps.out()).contains("NAME", "SERVICE", "NODE", "STATE", "HEALTH", "RESTARTS", "AGE");
      assertThat(ps.out().lines().filter(l -> l.startsWith("ticker-")))
          .hasSize(2).allMatch(l -> l.contains(" ticker ") && l.contains("node-k") && l.contains("running"));

      CliProcess.Result logs = cli.run("logs", names.get(1));
      assertThat(logs.exitCode()).as(logs.toString()).isZero();
      assertThat(logs.out().lines().findFirst()).hasValue("tick 1");

      CliProcess.Result serviceLogs = cli.run("logs", "ticker");
      assertThat(serviceLogs.out().lines()).contains("[" + names.get(0) + "] tick 1", "[" + names.get(1) + "] tick 1");

      CliProcess.Result exec = cli.run("exec", names.get(0), "--", "sh", "-c", "echo in $WHARF_INSTANCE_NAME; exit 5");
      assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(5);
      assertThat(exec.out()).isEqualTo("in " + names.get(0) + "\n");

      // Instances deleted while no agent runs are stopped by the next one.
      agent.kill();
      long orphan = pids().getFirst();
      resources.delete(Kind.SERVICE, "default", "ticker", 0);
      await().atMost(Duration.ofSeconds(30)).until(() -> instances().isEmpty());
      try (var third = new AgentProcess(api, "node-k", data)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pids().isEmpty());
        assertThat(alive(orphan)).isFalse();
      }
    }
  }

  private List<JsonNode> instances() {
    return client.listAll("instances", ListOptions.inNamespace("default"));
  }

  /** Task processes carrying this test's marker (the process driver's wrapper shells excluded). */
  private List<Long> pids() {
    return MarkedProcesses.pids(marker);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
