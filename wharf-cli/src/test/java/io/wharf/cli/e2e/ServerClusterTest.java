package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.Metadata;
import io.wharf.model.Service;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.testkit.etcd.EtcdClusterFixture;
import io.wharf.testkit.proc.MarkedProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The several-server cluster, all real processes: a 3-member etcd cluster, three
 * {@code wharf server}s on it (one elected leader runs the controllers), and three
 * {@code wharf agent}s on 127.0.0.2, 127.0.0.3 and 127.0.0.4 (process driver) that know all three
 * servers. Then {@code kill -9} of an agent's machine, and of the leader server.
 */
class ServerClusterTest {
  private static final int LEADER_TTL_SECONDS = 2;
  private static final int NODE_TTL_SECONDS = 3;
  private static final long HEARTBEAT_MILLIS = 500;

  @TempDir
  Path dir;

  private final String marker = "wharf-cluster-test-" + UUID.randomUUID();
  private EtcdClusterFixture etcd;
  private final List<DevServerProcess> servers = new ArrayList<>();
  private final List<AgentProcess> agents = new ArrayList<>();
  private WharfClient client;

  @BeforeEach
  void startCluster() throws Exception {
    etcd = EtcdClusterFixture.started(3);
    List<Thread> starting = new ArrayList<>();
    List<DevServerProcess> started = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      starting.add(Thread.ofVirtual().start(() -> started.add(DevServerProcess.command("server",
          "--store", "etcd://" + etcd.hostPorts(), "--etcd-prefix", "/wharf-cluster", "--port", "0", "--insecure-http",
          "--secrets-key-file", SecretsKeyFile.shared(),
          "--leader-ttl", Integer.toString(LEADER_TTL_SECONDS), "--node-ttl", Integer.toString(NODE_TTL_SECONDS)))));
    }
    for (Thread t : starting) {
      t.join();
    }
    servers.addAll(started);
    assertThat(servers).as("three servers started").hasSize(3);
    // Started together on an empty etcd, exactly one bootstraps the admin (printed before API:).
    assertThat(servers.stream().filter(s -> s.output().contains("Admin token: the one in $WHARF_BOOTSTRAP_TOKEN")))
        .as("servers that bootstrapped").hasSize(1);
    String addresses = servers.stream().map(DevServerProcess::address).collect(Collectors.joining(","));
    client = new WharfClient(ClientSettings.of(addresses).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
    List<AgentProcess> up = new CopyOnWriteArrayList<>();
    starting.clear();
    for (int n = 2; n <= 4; n++) {
      int node = n;
      starting.add(Thread.ofVirtual().start(() -> up.add(AgentProcess.ofCluster(addresses, "node-" + node,
          "127.0.0." + node, dir.resolve("agent-" + node), HEARTBEAT_MILLIS))));
    }
    for (Thread t : starting) {
      t.join();
    }
    agents.addAll(up);
    assertThat(agents).as("three agents started").hasSize(3);
    await().atMost(Duration.ofSeconds(30)).until(() -> client.listAll("nodes", ListOptions.ALL).stream()
        .filter(n -> "ready".equals(n.path("status").path("state").asText())).count() == 3);
  }

  @AfterEach
  void stopCluster() throws Exception {
    for (AgentProcess a : agents) {
      a.close();
    }
    for (long pid : pids()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (DevServerProcess s : servers) {
      s.close();
    }
    if (client != null) {
      client.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void killOfAnAgentsMachineRunsItsInstancesElsewhereWithinTheNodeTtlPlusFiveSeconds() throws Exception {
    runService("ticker", 3);
    String victim = instances("ticker").getFirst().path("spec").path("node").asText();
    Set<String> onVictim = instances("ticker").stream()
        .filter(i -> victim.equals(i.path("spec").path("node").asText()))
        .map(i -> i.path("metadata").path("name").asText()).collect(Collectors.toSet());
    AgentProcess agent = agents.stream().filter(a -> a.node().equals(victim)).findFirst().orElseThrow();

    killWorkloads(onVictim);
    agent.killMachine();
    long killedAt = System.nanoTime();

    await().atMost(Duration.ofSeconds(NODE_TTL_SECONDS + 5)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          List<JsonNode> running = instances("ticker").stream()
              .filter(i -> "running".equals(i.path("status").path("state").asText()))
              .filter(i -> !victim.equals(i.path("spec").path("node").asText())).toList();
          return running.size() == 3 && pids().size() == 3;
        });
    System.out.printf("instances of the dead node %s running elsewhere after %d ms%n", victim,
        Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
  }

  @Test
  void killOfTheLeaderHandsOverWithoutLosingAWriteOrDuplicatingAnInstance() throws Exception {
    runService("ticker", 6);
    Set<String> names = instanceNames("ticker");
    List<Long> before = pids();
    assertThat(before).hasSize(6);
    String oldLeader = client.leader().path("leader").path("address").asText();
    DevServerProcess leader = servers.stream().filter(s -> s.address().equals(oldLeader)).findFirst().orElseThrow();

    // A stream of writes through the failing-over client; only acknowledged ones are recorded.
    List<String> acknowledged = new CopyOnWriteArrayList<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = Thread.ofVirtual().start(() -> {
      var resources = client.json();
      for (int n = 0; writing.get(); n++) {
        String name = "w-" + n;
        try {
          client.create("configs", "default", resources.readTree(
              "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"data\":\"" + n + "\"}}"));
          acknowledged.add(name);
        } catch (RuntimeException | IOException e) {
          // outcome unknown (the server died mid-call): neither acknowledged nor required
        }
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 20);

    leader.kill();
    long killedAt = System.nanoTime();
    int atKill = acknowledged.size();

    List<DevServerProcess> survivors = servers.stream().filter(s -> s != leader).toList();
    var survivor = new WharfClient(ClientSettings.of(survivors.getFirst().address()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
    try (survivor) {
      await().atMost(Duration.ofSeconds(LEADER_TTL_SECONDS + 10)).pollInterval(Duration.ofMillis(50)).until(() -> {
        JsonNode now = survivor.leader().path("leader");
        return !now.isNull() && !now.isMissingNode() && !oldLeader.equals(now.path("address").asText());
      });
      long takeover = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
      String newLeader = survivor.leader().path("leader").path("address").asText();
      assertThat(survivors.stream().map(DevServerProcess::address)).contains(newLeader);
      await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= atKill + 20);
      writing.set(false);
      writer.join();
      System.out.printf("new leader %s after %d ms; %d writes acknowledged (%d before the kill)%n", newLeader,
          takeover, acknowledged.size(), atKill);

      Set<String> stored = survivor.listAll("configs", ListOptions.inNamespace("default")).stream()
          .map(c -> c.path("metadata").path("name").asText()).collect(Collectors.toSet());
      assertThat(stored).containsAll(acknowledged);

      // The new leader's controllers have seen everything; the instances are the same six, each
      // running exactly once, and they stay that way.
      await().atMost(Duration.ofSeconds(20)).until(() -> survivor.listAll("events", ListOptions.ALL).stream()
          .anyMatch(e -> "LeaderElected".equals(e.path("spec").path("reason").asText())
              && hostPort(newLeader).equals(e.path("spec").path("involved").path("name").asText())));
      try {
        assertTheSame(names);
      } catch (AssertionError | RuntimeException e) {
        dump();
        throw e;
      }
      assertThat(pids()).containsExactlyInAnyOrderElementsOf(before);
    }
  }

  private void assertTheSame(Set<String> names) {
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(instanceNames("ticker")).isEqualTo(names);
        assertThat(pids()).as(() -> "task processes; instances now: " + instances("ticker").stream()
            .map(i -> i.path("metadata").path("name").asText() + "@" + i.path("spec").path("node").asText() + "="
                + i.path("status").path("state").asText()).toList()).hasSize(6);
      });
  }

  @Test
  void killOfOneEtcdMemberKeepsEveryServerServingWritesAndALeader() {
    runService("ticker", 2);
    Set<String> names = instanceNames("ticker");
    String leader = client.leader().path("leader").path("address").asText();

    etcd.kill(0);

    for (DevServerProcess s : servers) {
      try (var one = new WharfClient(ClientSettings.of(s.address()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
          String name = "e-" + java.net.URI.create(s.address()).getPort();
          one.put("configs", "default", name, one.json().readTree(
              "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"data\":\"x\"}}"));
          assertThat(one.get("configs", "default", name).path("spec").path("data").asText()).isEqualTo("x");
        });
      }
    }
    // With a 2 s leader TTL a renewal stuck on the dead member can make the leader step down;
    // then another server (or the same) leads again, and nothing runs twice.
    await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() ->
        !client.leader().path("leader").path("address").asText().isEmpty());
    System.out.printf("leader before the etcd member's death %s, after %s%n", leader,
        client.leader().path("leader").path("address").asText());
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(instanceNames("ticker")).isEqualTo(names);
      assertThat(pids()).hasSize(2);
    });

    etcd.restart(0);
  }

  private void runService(String name, int replicas) {
    new ResourceClient(client).put(new Service(Metadata.of(name, "default"), ServiceSpec.of(replicas,
        TaskSpec.main("main", new ProcessDriver(List.of("sh", "-c",
            "while :; do sleep 0.5; done # " + marker), List.of(), null)))));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        List<JsonNode> all = instances(name);
        return all.size() == replicas
            && all.stream().allMatch(i -> "running".equals(i.path("status").path("state").asText()))
            && pids().size() == replicas;
      });
    } catch (RuntimeException e) {
      dump();
      throw e;
    }
  }

  /** What the cluster did, for a failure's diagnosis: events, servers' logs, instances. */
  private void dump() {
    for (JsonNode ev : client.listAll("events", ListOptions.ALL)) {
      System.out.println("event " + ev.path("metadata").path("name").asText() + " " + ev.path("spec").path("reason").asText()
          + " " + ev.path("spec").path("involved").path("name").asText() + " " + ev.path("spec").path("message").asText());
    }
    servers.forEach(sv -> System.out.println("server " + sv.address() + ":\n" + sv.output()));
    agents.forEach(a -> System.out.println("agent " + a.node() + ":\n" + a.output()));
    client.listAll("instances", ListOptions.ALL).forEach(i -> System.out.println("instance: " + i));
  }

  private List<JsonNode> instances(String service) {
    return client.listAll("instances", ListOptions.inNamespace("default")).stream()
        .filter(i -> i.path("metadata").path("name").asText().startsWith(service + "-")).toList();
  }

  private Set<String> instanceNames(String service) {
    return instances(service).stream().map(i -> i.path("metadata").path("name").asText()).collect(Collectors.toSet());
  }

  /** Task processes carrying this test's marker (wrapper shells excluded). */
  private List<Long> pids() {
    return MarkedProcesses.pids(marker);
  }

  /** SIGKILL of the task processes of the named instances (found by their WHARF_INSTANCE_NAME). */
  private void killWorkloads(Set<String> instanceNames) {
    for (long pid : pids()) {
      try {
        String environ = Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1);
        for (String entry : environ.split("\0")) {
          if (entry.startsWith("WHARF_INSTANCE_NAME=")
              && instanceNames.contains(entry.substring("WHARF_INSTANCE_NAME=".length()))) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      } catch (IOException e) {
        // the process is gone already
      }
    }
  }

  private static String hostPort(String address) {
    return java.net.URI.create(address).getAuthority();
  }
}
