package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.model.CronJob;
import io.wharf.model.Metadata;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ConcurrencyPolicy;
import io.wharf.model.workload.CronJobSpec;
import io.wharf.model.workload.JobSpec;
import io.wharf.store.KeyValue;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import io.wharf.testkit.etcd.EtcdClusterFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show of issue 6: three etcd members, three {@code wharf server} processes, a cron job
 * firing every 10 seconds, and the leader killed ({@code kill -9}) five times at varied offsets
 * around a slot boundary (before it, at it, during the firing, after it), and twice paused
 * ({@code SIGSTOP}) at a boundary until another server leads, then resumed ({@code SIGCONT}):
 * a deposed leader waking up mid-firing must not fire again. Every slot from the
 * first firing to the last is fired exactly once: one Job, one lease key whose run id is the
 * Job's {@code WHARF_RUN_ID}, one {@code CronJobFired} event, and no slot missed (a takeover
 * takes about the leader TTL, well under the 10 s period, and a late slot still runs).
 */
class CronClusterTest {
  private static final int LEADER_TTL_SECONDS = 2;
  private static final int PERIOD_SECONDS = 10;
  /** What to do to the leader, and when relative to a slot boundary (ms). */
  private record Fault(boolean pause, long offsetMillis) {}

  private static final List<Fault> FAULTS = List.of(new Fault(false, -400), new Fault(false, 0), new Fault(true, 0),
      new Fault(false, 25), new Fault(true, 15), new Fault(false, 300), new Fault(false, -60));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private EtcdClusterFixture etcd;
  private final List<DevServerProcess> servers = new CopyOnWriteArrayList<>();
  private EtcdStore store;
  private AgentProcess agent;

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    for (DevServerProcess s : servers) {
      s.close();
    }
    if (store != null) {
      store.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  /** A server on {@code port} (0: a free one; a killed server's replacement comes back on its port). */
  private DevServerProcess startServer(int port) {
    return DevServerProcess.command("server", "--store", "etcd://" + etcd.hostPorts(), "--etcd-prefix", "/wharf-cron",
        "--insecure-http", "--secrets-key-file", SecretsKeyFile.shared(), "--port", Integer.toString(port), "--leader-ttl", Integer.toString(LEADER_TTL_SECONDS));
  }

  @Test
  @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES) // ~1.5 min; its waits' bounds add up to ~5
  void everySlotFiresExactlyOnceWhileTheLeaderIsKilledAroundSlotBoundaries() throws Exception {
    etcd = EtcdClusterFixture.started(3);
    List<Thread> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      starting.add(Thread.ofVirtual().start(() -> servers.add(startServer(0))));
    }
    for (Thread t : starting) {
      t.join();
    }
    assertThat(servers).as("three servers started").hasSize(3);
    store = EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoints().toArray(String[]::new)).withRoot("/wharf-cron"));
    // One agent runs the jobs (the leader's job controller places them): each run appends its slot
    // and run id to a file, so the test sees how often each slot's process really ran.
    agent = AgentProcess.ofCluster(addresses(servers), "node-2", "127.0.0.2", dir.resolve("agent"), 500);
    Path runs = dir.resolve("runs.txt");

    try (WharfClient client = clientOf(servers)) {
      new ResourceClient(client).put(new CronJob(Metadata.of("tick", "default"), new CronJobSpec(
          "*/" + PERIOD_SECONDS + " * * * * *", "UTC", ConcurrencyPolicy.ALLOW, null, 100, false,
          JobSpec.of(TaskSpec.main("main", new ProcessDriver(List.of("sh", "-c",
              "echo \"$WHARF_SLOT $WHARF_RUN_ID\" >> " + runs), List.of(), null))))));
      await().atMost(Duration.ofSeconds(PERIOD_SECONDS * 2L)).until(() -> !jobs(client).isEmpty());
    }

    for (Fault fault : FAULTS) {
      DevServerProcess leader = leader();
      long offset = fault.offsetMillis();
      Instant now = Instant.now();
      long period = PERIOD_SECONDS * 1000L;
      long nextBoundary = (now.toEpochMilli() / period + 1) * period;
      long faultAt = nextBoundary + offset;
      if (faultAt - now.toEpochMilli() < 1500) {
        faultAt += period; // leave time to see the leader settle after the last takeover
      }
      long wait = faultAt - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait); // waits for a wall-clock instant (the fault time), not for a condition
      }
      if (fault.pause()) {
        signal("STOP", leader);
        System.out.printf("paused leader %s at slot boundary %+d ms%n", leader.address(),
            System.currentTimeMillis() - (faultAt - offset));
        List<DevServerProcess> others = servers.stream().filter(s -> s != leader).toList();
        DevServerProcess next = leaderAmong(others); // a takeover while the old leader sleeps
        signal("CONT", leader);
        System.out.printf("new leader %s; the old one resumed%n", next.address());
      } else {
        leader.kill();
        System.out.printf("killed leader %s at slot boundary %+d ms%n", leader.address(),
            System.currentTimeMillis() - (faultAt - offset));
        servers.remove(leader);
        servers.add(startServer(leader.port()));
        DevServerProcess next = leader(); // waits for a new leader among the live servers
        System.out.printf("new leader %s%n", next.address());
      }
    }

    try (WharfClient client = clientOf(servers)) {
      // One more slot after the last takeover, then everything fired must be consistent.
      int before = jobs(client).size();
      await().atMost(Duration.ofSeconds(PERIOD_SECONDS * 3L)).until(() -> jobs(client).size() >= before + 1);
      assertEverySlotFiredOnce(client);
      assertEverySlotRanOnce(client, runs);
    }
  }

  /** Every fired slot's process ran exactly once, with the run id of its Job. */
  private static void assertEverySlotRanOnce(WharfClient client, Path runs) throws Exception {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> jobs(client).stream()
        .allMatch(j -> "succeeded".equals(j.path("status").path("phase").asText())));
    Map<String, List<String>> runIdsBySlot = new TreeMap<>();
    for (String line : Files.readAllLines(runs)) {
      String[] parts = line.trim().split(" ");
      runIdsBySlot.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
    }
    Map<String, List<String>> expected = new TreeMap<>();
    for (JsonNode job : jobs(client)) {
      JsonNode env = job.path("spec").path("tasks").get(0).path("env");
      expected.put(env.path("WHARF_SLOT").asText(), List.of(env.path("WHARF_RUN_ID").asText()));
    }
    System.out.printf("processes ran: %s%n", runIdsBySlot);
    assertThat(runIdsBySlot).as("each slot's process ran once, with its Job's run id").isEqualTo(expected);
  }

  private void assertEverySlotFiredOnce(WharfClient client) throws Exception {
    Map<Instant, JsonNode> jobsBySlot = new TreeMap<>();
    for (JsonNode job : jobs(client)) {
      Instant slot = Instant.parse(job.path("spec").path("tasks").get(0).path("env").path("WHARF_SLOT").asText());
      assertThat(jobsBySlot.put(slot, job)).as("a second job for slot " + slot).isNull();
    }
    Map<Instant, JsonNode> leases = new TreeMap<>();
    for (KeyValue kv : store.range("/wharf/cron-slots/default/tick/").kvs()) {
      JsonNode lease = JSON.readTree(kv.value());
      leases.put(Instant.parse(lease.path("slot").asText()), lease);
    }
    Map<String, Integer> fired = new HashMap<>();
    for (JsonNode e : client.eventsAbout("CronJob", "default", "tick")) {
      if (e.path("spec").path("reason").asText().equals("CronJobFired")) {
        String slot = e.path("spec").path("message").asText().split(" ")[1];
        fired.merge(slot, 1, Integer::sum);
      }
    }
    System.out.printf("%d slots fired (slot +lateness ms): %s%n", jobsBySlot.size(), jobsBySlot.entrySet().stream()
        .map(e -> e.getKey().toString().substring(11, 19) + " +" + Duration.between(e.getKey(),
            Instant.parse(e.getValue().path("metadata").path("createdAt").asText())).toMillis())
        .collect(Collectors.joining(", ")));
    assertThat(leases.keySet()).as("lease keys = jobs' slots").isEqualTo(jobsBySlot.keySet());
    Instant first = ((TreeMap<Instant, JsonNode>) jobsBySlot).firstKey();
    Instant last = ((TreeMap<Instant, JsonNode>) jobsBySlot).lastKey();
    TreeSet<Instant> expected = new TreeSet<>();
    for (Instant t = first; !t.isAfter(last); t = t.plusSeconds(PERIOD_SECONDS)) {
      expected.add(t);
    }
    assertThat(jobsBySlot.keySet()).as("no slot lost between the first and the last").containsExactlyElementsOf(expected);
    for (var entry : jobsBySlot.entrySet()) {
      JsonNode lease = leases.get(entry.getKey());
      assertThat(entry.getValue().path("spec").path("tasks").get(0).path("env").path("WHARF_RUN_ID").asText())
          .as("run id of slot " + entry.getKey()).isEqualTo(lease.path("runId").asText());
      assertThat(fired.get(entry.getKey().toString())).as("CronJobFired events for " + entry.getKey()).isEqualTo(1);
    }
    assertThat(fired.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(jobsBySlot.size());
    List<Long> runIds = jobsBySlot.values().stream()
        .map(j -> Long.parseLong(j.path("spec").path("tasks").get(0).path("env").path("WHARF_RUN_ID").asText())).toList();
    assertThat(runIds).as("fencing tokens grow with the slots").isSorted().doesNotHaveDuplicates();
    JsonNode status = client.get("cronjobs", "default", "tick").path("status");
    assertThat(status.path("skippedSlots").asLong()).as("slots reported missed").isZero();
  }

  private static void signal(String signal, DevServerProcess server) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(server.handle().pid())).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -" + signal).isZero();
  }

  /** The server that says it leads, once the live servers agree on one (waits for a takeover). */
  private DevServerProcess leader() {
    return leaderAmong(servers.stream().filter(DevServerProcess::isAlive).toList());
  }

  /** The server of {@code live} that the servers of {@code live} say leads (waits until one does). */
  private static DevServerProcess leaderAmong(List<DevServerProcess> live) {
    DevServerProcess[] found = new DevServerProcess[1];
    try (WharfClient client = clientOf(live)) {
      await().atMost(Duration.ofSeconds(LEADER_TTL_SECONDS * 5L)).pollInterval(Duration.ofMillis(50))
          .ignoreExceptions().until(() -> {
            String address = client.leader().path("leader").path("address").asText();
            found[0] = live.stream().filter(s -> s.address().equals(address)).findFirst().orElse(null);
            return found[0] != null;
          });
    }
    return found[0];
  }

  private static WharfClient clientOf(List<DevServerProcess> list) {
    return new WharfClient(ClientSettings.of(addresses(list)).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
  }

  private static String addresses(List<DevServerProcess> list) {
    return list.stream().map(DevServerProcess::address).collect(Collectors.joining(","));
  }

  private static List<JsonNode> jobs(WharfClient client) {
    return client.listAll("jobs", ListOptions.inNamespace("default")).stream()
        .filter(j -> "tick".equals(j.path("metadata").path("labels").path("wharf.io/cronjob").asText())).toList();
  }
}
