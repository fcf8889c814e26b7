package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.ResourceRef;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
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
    server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded"), store);
    client = new WharfClient(ClientSettings.of(server.apiAddress().toString()));
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
      for (String name : List.of("ticker-1", "ticker-2")) {
        resources.put(instance(name, "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done # " + marker));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(state("ticker-1"))
          && "running".equals(state("ticker-2")));
      before = pids();
      assertThat(before).hasSize(2);

      agent.kill(); // SIGKILL: no shutdown hook, no cleanup
    }
    assertThat(before).allMatch(AgentProcessKillTest::alive);

    try (var agent = new AgentProcess(api, "node-k", data)) {
      // Adopted, not started again: the very same processes, and only them.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(agent.output()).contains("adopting instance default/ticker-1", "adopting instance default/ticker-2"));
      assertThat(pids()).containsExactlyInAnyOrderElementsOf(before);

      // Status carries on: a crash of an adopted task is noticed, restarted and counted.
      ProcessHandle.of(before.getFirst()).orElseThrow().destroyForcibly();
      await().atMost(Duration.ofSeconds(30)).until(() -> pids().size() == 2 && !pids().contains(before.getFirst()));
      await().atMost(Duration.ofSeconds(30)).until(() -> restarts("ticker-1") + restarts("ticker-2") == 1);

      var cli = new CliProcess(api, dir);
      CliProcess.Result ps = cli.run("ps");
      assertThat(ps.exitCode()).as(ps.toString()).isZero();
      assertThat(ps.out()).contains("NAME", "SERVICE", "NODE", "STATE", "HEALTH", "RESTARTS", "AGE");
      assertThat(ps.out().lines().filter(l -> l.startsWith("ticker-")))
          .hasSize(2).allMatch(l -> l.contains("ticker") && l.contains("node-k") && l.contains("running"));

      CliProcess.Result logs = cli.run("logs", "ticker-2");
      assertThat(logs.exitCode()).as(logs.toString()).isZero();
      assertThat(logs.out().lines().findFirst()).hasValue("tick 1");

      CliProcess.Result serviceLogs = cli.run("logs", "ticker");
      assertThat(serviceLogs.out().lines()).contains("[ticker-1] tick 1", "[ticker-2] tick 1");

      CliProcess.Result exec = cli.run("exec", "ticker-1", "--", "sh", "-c", "echo in $WHARF_INSTANCE_NAME; exit 5");
      assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(5);
      assertThat(exec.out()).isEqualTo("in ticker-1\n");

      // An instance deleted while no agent runs is stopped by the next one.
      agent.kill();
      long orphan = pids().getFirst();
      resources.delete(Kind.INSTANCE, "default", "ticker-1", 0);
      resources.delete(Kind.INSTANCE, "default", "ticker-2", 0);
      try (var third = new AgentProcess(api, "node-k", data)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pids().isEmpty());
        assertThat(alive(orphan)).isFalse();
      }
    }
  }

  private Instance instance(String name, String script) {
    var task = TaskSpec.main("main", new ProcessDriver(List.of("sh", "-c", script), List.of(), null));
    return new Instance(Metadata.of(name, "default"),
        new InstanceSpec(new ResourceRef(Kind.SERVICE, "default", "ticker"), 1, "node-k", List.of(task), Map.of()));
  }

  private String state(String name) {
    return client.get("instances", "default", name).path("status").path("state").asText();
  }

  private int restarts(String name) {
    JsonNode status = client.get("instances", "default", name).path("status");
    return status.path("restarts").asInt();
  }

  /** Task processes carrying this test's marker (the process driver's wrapper shells excluded). */
  private List<Long> pids() {
    var out = new ArrayList<Long>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String cmd = cmdline(Long.parseLong(name));
        if (cmd.contains(marker) && !cmd.contains("trap : TERM")) {
          out.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
