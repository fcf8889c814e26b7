package io.wharf.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.driver.sim.SimDriver;
import io.wharf.client.AgentApi;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceList;
import io.wharf.client.StatusItem;
import io.wharf.client.StatusReport;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import io.wharf.model.Metadata;
import io.wharf.model.Node;
import io.wharf.model.cluster.Health;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.cluster.NodeSpec;
import io.wharf.model.cluster.NodeState;
import io.wharf.model.cluster.NodeStatus;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.model.quantity.Cpu;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thousands of simulated nodes in one process, each doing what a real node agent does, through the
 * same client API ({@link AgentApi}, {@link WharfClient#watch}) — multiplexed:
 * <ul>
 *   <li><b>registration</b>: one {@code PUT /v1/nodes/{name}} per node (real), 32 at a time;</li>
 *   <li><b>heartbeats</b>: {@code POST /v1/nodes/heartbeats} for all nodes every interval, in
 *       parallel calls of 500 nodes (a real agent sends one call per node; the server-side work
 *       per node is the same lease renewal);</li>
 *   <li><b>assignments</b>: ONE watch of all instances (list, then watch from the list's revision
 *       + 1), dispatched here by {@code spec.node}, instead of one filtered watch per node; or,
 *       with {@link FleetSettings#watchPerNode}, one filtered watch per node as real agents hold
 *       (the server's fan-out then works as for a real fleet);</li>
 *   <li><b>running</b>: each instance's main task is started on a {@link SimDriver} (no process)
 *       and reported {@code running} through {@code POST /v1/instances/status} in batches of up to
 *       {@link FleetSettings#batch} items from {@link FleetSettings#reporters} threads (a real
 *       agent batches per node every 250 ms).</li>
 * </ul>
 * Not simulated at all: sidecars, health checks, logs, restarts; an instance is running the
 * moment it is seen. Counters ({@link #assigned}, {@link #running}) follow what the API's watch
 * says, so "running" means "the server has stored it as running".
 *
 * <p>Thread safety: the counters may be read from any thread; watch events arrive on the watch's
 * own thread; reporters and the heartbeat loop run on their own virtual threads.
 */
public final class SimulatedFleet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedFleet.class);

  private final WharfClient client;
  private final AgentApi api;
  private final FleetSettings settings;
  private final Set<String> nodes;
  private final SimDriver driver = new SimDriver(InstantSource.system());
  private final Map<String, Tracked> instances = new ConcurrentHashMap<>();
  private final Map<String, StatusItem> pending = new ConcurrentHashMap<>();
  private final Semaphore wake = new Semaphore(0);
  private final AtomicLong running = new AtomicLong();
  private final AtomicLong reportCalls = new AtomicLong();
  private final AtomicLong heartbeatCalls = new AtomicLong();
  private final AtomicLong lastRevision = new AtomicLong();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final List<Thread> threads = new ArrayList<>();

  /** One instance this fleet runs; {@code reportedAt} is the revision its last report committed at. */
  private static final class Tracked {
    final String node;
    final TaskHandle handle;
    volatile boolean runningSeen;
    volatile long reportedAt;
    final InstanceStatus status;

    Tracked(String node, TaskHandle handle, InstanceStatus status) {
      this.node = node;
      this.handle = handle;
      this.status = status;
    }
  }

  private SimulatedFleet(WharfClient client, FleetSettings settings) {
    this.client = client;
    this.api = new AgentApi(client);
    this.settings = settings;
    Set<String> names = new HashSet<>();
    for (int i = 1; i <= settings.nodes(); i++) {
      names.add(settings.nodeName(i));
    }
    this.nodes = Set.copyOf(names);
  }

  /**
   * Registers every node, beats once (so all are ready when this returns), then starts the
   * heartbeat loop, the assignment watch and the reporters. The client stays the caller's.
   */
  public static SimulatedFleet start(WharfClient client, FleetSettings settings) {
    SimulatedFleet fleet = new SimulatedFleet(client, settings);
    fleet.registerAll();
    fleet.beat();
    fleet.threads.add(Thread.ofVirtual().name("fleet-heartbeats").start(fleet::heartbeatLoop));
    fleet.threads.add(Thread.ofVirtual().name("fleet-assignments").start(fleet::assignmentLoop));
    for (int i = 0; i < settings.reporters(); i++) {
      fleet.threads.add(Thread.ofVirtual().name("fleet-reporter-" + i).start(fleet::reportLoop));
    }
    return fleet;
  }

  /** Instances placed on this fleet's nodes that it knows of now. */
  public long assigned() {
    return instances.size();
  }

  /** Of those, how many the API has shown as running. */
  public long running() {
    return running.get();
  }

  /** Status report calls made so far. */
  public long reportCalls() {
    return reportCalls.get();
  }

  /** Heartbeat batch calls made so far. */
  public long heartbeatCalls() {
    return heartbeatCalls.get();
  }

  /** The last revision the assignment watch has seen. */
  public long lastRevision() {
    return lastRevision.get();
  }

  /** How many instances each node holds now (for spread checks). */
  public Map<String, Integer> perNode() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    instances.values().forEach(t -> out.merge(t.node, 1, Integer::sum));
    return out;
  }

  private void registerAll() {
    Semaphore parallel = new Semaphore(32);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String name : nodes) {
        parallel.acquireUninterruptibly();
        pool.submit(() -> {
          try {
            api.registerNode(name, ResourceCodec.toTree(node(name)));
          } finally {
            parallel.release();
          }
        });
      }
    }
  }

  private Node node(String name) {
    var capacity = new ComputeResources(new Cpu(settings.cpuMillis()), new ByteSize(settings.memoryBytes()));
    var status = new NodeStatus("127.0.0.1", capacity, capacity, List.of(SimDriver.NAME),
        Map.of("wharf.io/simulated", "true"), NodeState.READY, null, "http://127.0.0.1:9");
    return new Node(Metadata.cluster(name), NodeSpec.DEFAULT, status);
  }

  /**
   * Heartbeats for every node in calls of up to {@value #BEAT_CHUNK} nodes, sent in parallel (so
   * one slow call delays only its chunk); nodes the server forgot register again.
   */
  private void beat() {
    List<String> all = List.copyOf(nodes);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int from = 0; from < all.size(); from += BEAT_CHUNK) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + BEAT_CHUNK));
        pool.submit(() -> {
          try {
            Map<String, String> states = api.heartbeats(chunk);
            heartbeatCalls.incrementAndGet();
            states.forEach((name, state) -> {
              if (state.equals("not_registered")) {
                api.registerNode(name, ResourceCodec.toTree(node(name)));
              }
            });
          } catch (RuntimeException e) {
            log.warn("fleet heartbeat of {} nodes failed: {}", chunk.size(), e.toString());
          }
        });
      }
    }
  }

  private static final int BEAT_CHUNK = 500;

  /** Beats every {@code heartbeat}, start to start (a slow round does not stretch the interval). */
  private void heartbeatLoop() {
    long next = System.nanoTime() + settings.heartbeat().toNanos();
    while (!sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())))) {
      next += settings.heartbeat().toNanos();
      beat();
    }
  }

  /** List all instances, then watch from there; start over on compaction or a failed watch. */
  private void assignmentLoop() {
    while (!closed.isDone()) {
      try {
        long revision = relist();
        var ended = new CompletableFuture<Throwable>();
        List<WatchStream> watches = new ArrayList<>();
        try {
          if (settings.watchPerNode()) {
            for (String node : nodes) {
              watches.add(client.watch(WatchRequest.of("instances").onNode(node).from(revision + 1), listener(ended)));
            }
          } else {
            watches.add(client.watch(WatchRequest.of("instances").from(revision + 1), listener(ended)));
          }
          CompletableFuture.anyOf(ended, closed).join();
        } finally {
          watches.forEach(WatchStream::close);
        }
      } catch (RuntimeException e) {
        log.warn("fleet assignment watch failed; relisting: {}", e.toString());
        if (sleep(Duration.ofMillis(500))) {
          return;
        }
      }
    }
  }

  private long relist() {
    Set<String> seen = new HashSet<>();
    String token = null;
    long revision = 0;
    do {
      ResourceList page = client.list("instances", new ListOptions(null, Map.of(), 1000, token));
      if (revision == 0) {
        revision = page.revision();
      }
      for (JsonNode item : page.items()) {
        seen.add(key(item));
        onPut(item, revision);
      }
      token = page.continueToken();
    } while (token != null);
    for (Iterator<Map.Entry<String, Tracked>> it = instances.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Tracked> e = it.next();
      if (!seen.contains(e.getKey())) {
        it.remove();
        forget(e.getValue());
      }
    }
    lastRevision.set(revision);
    return revision;
  }

  private WatchListener listener(CompletableFuture<Throwable> ended) {
    return new WatchListener() {
      @Override
      public void onEvent(WatchEvent event) {
        if (event.isDelete()) {
          Tracked t = instances.remove(key(event.object()));
          if (t != null) {
            forget(t);
          }
        } else {
          onPut(event.object(), event.revision());
        }
        lastRevision.accumulateAndGet(event.revision(), Math::max);
      }

      @Override
      public void onCompacted(long compactRevision) {
        ended.complete(null);
      }

      @Override
      public void onClosed(Throwable error) {
        ended.complete(error);
      }
    };
  }

  private static String key(JsonNode object) {
    JsonNode m = object.path("metadata");
    return m.path("namespace").asText() + "/" + m.path("name").asText();
  }

  private void onPut(JsonNode object, long revision) {
    String node = object.path("spec").path("node").asText("");
    if (!nodes.contains(node)) {
      return;
    }
    String key = key(object);
    String state = object.path("status").path("state").asText("pending");
    Tracked t = instances.get(key);
    if (t == null || !t.node.equals(node)) {
      String name = object.path("metadata").path("name").asText();
      StartResult started = driver.start(TaskConfig.of(new TaskId(name, "main"), new DriverSettings.Sim(null)));
      if (!(started instanceof StartResult.Started s)) {
        return;
      }
      t = new Tracked(node, s.handle(), new InstanceStatus(InstanceState.RUNNING, Health.UNKNOWN, 0, null, null,
          "127.0.0.1", s.handle().startedAt(), null));
      Tracked previous = instances.put(key, t);
      if (previous != null) {
        forget(previous);
      }
    }
    if (state.equals("running")) {
      if (!t.runningSeen) {
        t.runningSeen = true;
        running.incrementAndGet();
      }
    } else if (revision > t.reportedAt && !pending.containsKey(key)) {
      // Not running as the server sees it, after our last report landed (or never reported): report.
      if (t.runningSeen) {
        t.runningSeen = false;
        running.decrementAndGet();
      }
      JsonNode m = object.path("metadata");
      pending.put(key, new StatusItem(m.path("namespace").asText(), m.path("name").asText(),
          ResourceCodec.json().valueToTree(t.status)));
      wake.release();
    }
  }

  private void forget(Tracked t) {
    driver.destroy(t.handle);
    if (t.runningSeen) {
      running.decrementAndGet();
    }
  }

  private void reportLoop() {
    while (!closed.isDone()) {
      try {
        if (!wake.tryAcquire(200, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      while (!pending.isEmpty()) {
        List<StatusItem> batch = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, StatusItem>> it = pending.entrySet().iterator();
            it.hasNext() && batch.size() < settings.batch(); ) {
          Map.Entry<String, StatusItem> e = it.next();
          if (pending.remove(e.getKey(), e.getValue())) {
            batch.add(e.getValue());
            keys.add(e.getKey());
          }
        }
        if (batch.isEmpty()) {
          break;
        }
        try {
          StatusReport report = api.reportStatus(batch);
          reportCalls.incrementAndGet();
          for (String k : keys) {
            Tracked t = instances.get(k);
            if (t != null) {
              t.reportedAt = report.revision();
            }
          }
        } catch (RuntimeException e) {
          log.warn("fleet status report of {} items failed; retrying: {}", batch.size(), e.toString());
          for (int i = 0; i < batch.size(); i++) {
            pending.putIfAbsent(keys.get(i), batch.get(i));
          }
          if (sleep(Duration.ofMillis(200))) {
            return;
          }
        }
      }
    }
  }

  /** Waits {@code d}; true when the fleet was closed meanwhile. */
  private boolean sleep(Duration d) {
    try {
      closed.get(d.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (Exception e) {
      return true;
    }
  }

  /** Stops the loops and the watch; the nodes stay registered (their leases lapse). */
  @Override
  public void close() {
    closed.complete(null);
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
