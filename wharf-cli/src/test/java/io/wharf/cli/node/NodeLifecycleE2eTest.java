package io.wharf.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.agent.AgentSettings;
import io.wharf.agent.NodeAgent;
import io.wharf.cli.CliRun;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.WharfClient;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.proc.MarkedProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node lifecycle end to end, in one process: a control plane (2 s node TTL) and two real
 * NodeAgents running real processes, driven by the CLI commands. Drain moves the instances and
 * stops the old processes; an agent that dies has its instances placed on the other node, and
 * when it comes back it stops the stale processes it left behind.
 */
class NodeLifecycleE2eTest {
  /**
   * Made and removed by the test itself, not @TempDir: threads of a closed agent may still finish
   * a last write (an exit file) while JUnit deletes, so removal is retried until it holds.
   */
  Path dir;

  EmbeddedStore store;
  ControlPlane server;
  WharfClient api;
  NodeAgent a;
  NodeAgent b;
  final String marker = "wharf-nodes-e2e-" + UUID.randomUUID();

  @BeforeEach
  void start() throws java.io.IOException {
    dir = java.nio.file.Files.createTempDirectory("wharf-nodes-e2e");
    store = EmbeddedStore.open(dir.resolve("store"));
    server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store,
        ControlPlane.Tuning.DEFAULTS.withNodeTtl(Duration.ofSeconds(2)));
    api = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
    a = agent("node-a");
    b = agent("node-b");
  }

  NodeAgent agent(String name) {
    AgentSettings s = AgentSettings.of(server.apiAddress(), name, dir.resolve(name));
    NodeAgent agent = NodeAgent.start((new AgentSettings(s.server(), s.nodeName(), s.address(), s.dataDir(),
        s.bindHost(), 0, Map.of(), Duration.ofMillis(500), null, false)).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
    await().atMost(Duration.ofSeconds(20)).until(agent::ready);
    return agent;
  }

  @AfterEach
  void stop() {
    // Agents here leave workloads running on close (so one can come back to them): close them,
    // then end the processes, so nothing writes into the agents' directories after the test.
    for (NodeAgent agent : new NodeAgent[] {a, b}) {
      if (agent != null) {
        agent.close();
      }
    }
    // A closed agent's task runners may still restart a task they saw die: keep killing until none
    // has come back for 3 s.
    await().atMost(Duration.ofSeconds(60)).during(Duration.ofSeconds(3)).until(() -> {
      // The wrapper shell first: it would write the task's exit file into the agent's directory.
      MarkedProcesses.pids(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(h -> {
        h.parent().filter(p -> p.info().commandLine().orElse("").contains(marker))
            .ifPresent(ProcessHandle::destroyForcibly);
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
      }));
      return MarkedProcesses.pids(marker).isEmpty();
    });
    api.close();
    server.close();
    store.close();
    await().ignoreExceptions().until(() -> {
      try (var paths = java.nio.file.Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.deleteIfExists(p);
        }
      }
      return !java.nio.file.Files.exists(dir);
    });
  }

  CliRun.Result wharf(String... args) {
    return new CliRun().address(server.apiAddress().toString()).token(io.wharf.testkit.auth.TestTokens.ADMIN).run(args);
  }

  /** Running instances per node. */
  Map<String, Integer> running() {
    Map<String, Integer> out = new TreeMap<>();
    for (JsonNode i : api.listAll("instances", ListOptions.inNamespace("default"))) {
      if (i.path("status").path("state").asText().equals("running")) {
        out.merge(i.path("spec").path("node").asText(), 1, Integer::sum);
      }
    }
    return out;
  }

  int instances() {
    return api.listAll("instances", ListOptions.inNamespace("default")).size();
  }

  @Test
  void drainMovesInstancesAndAReturningNodeStopsWhatWasPlacedElsewhere() {
    api.apply("""
        stack: shop
        namespace: default
        services:
          web:
            replicas: 2
            command: ["sh", "-c", "while :; do sleep 1; done # %s"]
            update: {parallelism: 1}
            placement: {strategy: spread}
        """.formatted(marker), WharfClient.YAML, OptionalLong.empty());
    await().atMost(Duration.ofSeconds(30)).until(() -> running().equals(Map.of("node-a", 1, "node-b", 1)));
    await().until(() -> MarkedProcesses.pids(marker).size() == 2);
    List<Long> first = MarkedProcesses.pids(marker);

    CliRun.Result drain = wharf("node", "drain", "node-a");
    assertThat(drain.out()).isEqualTo("Node node-a is draining: its instances move to other nodes.\n");

    await().atMost(Duration.ofSeconds(30)).until(() -> running().equals(Map.of("node-b", 2)) && instances() == 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> MarkedProcesses.pids(marker).size() == 2);
    assertThat(first.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)))
        .as("node-a's process stopped after its replacement ran").hasSize(1);
    CliRun.Result ls = wharf("node", "ls");
    assertThat(ls.out().lines().toList()).hasSize(3);
    assertThat(ls.out().lines().toList().get(0))
        .matches("NAME +ADDRESS +STATE +DRAIN +ELIGIBLE +CPU +MEMORY +INSTANCES");
    assertThat(ls.out().lines().toList().get(1)).matches("node-a +127\\.0\\.0\\.1 +ready +yes +yes +\\S+ +\\S+ +0");
    assertThat(ls.out().lines().toList().get(2)).matches("node-b +127\\.0\\.0\\.1 +ready +no +yes +\\S+ +\\S+ +2");
    assertThat(wharf("node", "drain", "node-a", "--undo").out())
        .isEqualTo("Node node-a takes new instances again.\n");

    // node-b's agent dies, leaving its processes running: after the TTL they run on node-a.
    List<Long> stale = MarkedProcesses.pids(marker);
    b.close();
    b = null;
    await().atMost(Duration.ofSeconds(20)).until(() -> running().equals(Map.of("node-a", 2)) && instances() == 2);
    await().until(() -> MarkedProcesses.pids(marker).size() == 4);

    // It comes back, finds its instances deleted, and stops the stale processes.
    b = agent("node-b");
    await().atMost(Duration.ofSeconds(30)).until(() -> MarkedProcesses.pids(marker).size() == 2);
    assertThat(MarkedProcesses.pids(marker)).doesNotContainAnyElementsOf(stale);
    assertThat(running()).isEqualTo(Map.of("node-a", 2));
  }
}
