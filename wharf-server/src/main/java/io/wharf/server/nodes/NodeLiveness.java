package io.wharf.server.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.LeaseNotFoundException;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Node heartbeats: each node has a store lease with TTL {@code ttl} and a key
 * {@code /wharf/node-leases/{name}} attached to it. A heartbeat renews the lease (or grants a new
 * one when this server has none or the old one expired) and, in the same transaction, marks the
 * node {@code ready} when it was not (event {@code NodeReady}). When the lease expires the store
 * deletes the key; {@link io.wharf.server.controller.node.NodeController} sees that through its
 * watch (also after a server restart, since the key lives in the store) and marks the node down.
 *
 * <p>A beat of a node that is ready on its current lease writes nothing and skips the
 * {@link ChangeWriter}: at thousands of nodes that is almost every beat. {@link #heartbeats}
 * takes many nodes in one call for fleets that multiplex nodes over one connection.
 *
 * <p>Thread safety: safe for many threads. Lease ids live in a concurrent map; a rare race of
 * two beats of one node grants two leases, of which the key keeps the last (the other expires
 * harmlessly, owning no key).
 */
public final class NodeLiveness {
  public static final String LEASE_PREFIX = "/wharf/node-leases/";

  private final Store store;
  private final ResourceRegistry registry;
  private final Duration ttl;
  private final ConcurrentHashMap<String, LeaseId> leases = new ConcurrentHashMap<>();

  public NodeLiveness(Store store, ResourceRegistry registry, Duration ttl) {
    this.store = store;
    this.registry = registry;
    this.ttl = ttl;
  }

  public static String leaseKey(String node) {
    return LEASE_PREFIX + node;
  }

  public Duration ttl() {
    return ttl;
  }

  /** The outcome of a heartbeat. */
  public sealed interface Beat {}

  public record NotRegistered(String node) implements Beat {}

  public record Alive(Duration ttl, String state) implements Beat {}

  /**
   * The most nodes one {@link #heartbeats} call takes: a simulated or multiplexed fleet beats for
   * all its nodes at once, and each costs a lease renewal.
   */
  public static final int MAX_BATCH = 10_000;

  public Beat heartbeat(String node) {
    String nodeKey = ResourceKeys.key(ResourceType.NODE, null, node);
    Optional<KeyValue> registered = store.get(nodeKey);
    if (registered.isEmpty()) {
      return new NotRegistered(node);
    }
    LeaseId lease = renewedOrGranted(node);
    Optional<Beat> steady = steady(node, registered.get(), lease);
    return steady.isPresent() ? steady.get() : writtenOrRegranted(Map.of(node, lease)).get(node);
  }

  /**
   * {@link #written}, and when a lease expired between its renewal and the transaction (a server
   * too busy to answer within the TTL), once more on freshly granted leases.
   */
  private Map<String, Beat> writtenOrRegranted(Map<String, LeaseId> nodes) {
    try {
      return written(nodes);
    } catch (LeaseNotFoundException expired) {
      Map<String, LeaseId> fresh = new LinkedHashMap<>();
      nodes.forEach((node, lease) -> {
        leases.remove(node, lease);
        fresh.put(node, renewedOrGranted(node));
      });
      return written(fresh);
    }
  }

  /**
   * Heartbeats of many nodes in one call: leases renewed concurrently (so the store groups them),
   * then the nodes that need a write (a new lease key, a node turning ready) in as few
   * transactions as the store allows. The answer has one entry per distinct node, in order.
   */
  public Map<String, Beat> heartbeats(List<String> nodes) {
    if (nodes.size() > MAX_BATCH) {
      throw new IllegalArgumentException("at most " + MAX_BATCH + " nodes per heartbeat batch, got " + nodes.size());
    }
    Map<String, Beat> answers = new LinkedHashMap<>();
    Map<String, KeyValue> known = new LinkedHashMap<>();
    for (String node : new LinkedHashSet<>(nodes)) {
      Optional<KeyValue> registered = store.get(ResourceKeys.key(ResourceType.NODE, null, node));
      if (registered.isPresent()) {
        known.put(node, registered.get());
        answers.put(node, null);
      } else {
        answers.put(node, new NotRegistered(node));
      }
    }
    Map<String, LeaseId> renewed = renewAll(List.copyOf(known.keySet()));
    List<String> toWrite = new ArrayList<>();
    for (Map.Entry<String, KeyValue> e : known.entrySet()) {
      Optional<Beat> steady = steady(e.getKey(), e.getValue(), renewed.get(e.getKey()));
      if (steady.isPresent()) {
        answers.put(e.getKey(), steady.get());
      } else {
        toWrite.add(e.getKey());
      }
    }
    // Each node written costs two compares, up to two puts and an event: size by the store's limits.
    int perTxn = Math.max(1, (registry.writer().limits().maxTxnOps() - 2) / 3);
    for (int from = 0; from < toWrite.size(); from += perTxn) {
      List<String> chunk = toWrite.subList(from, Math.min(toWrite.size(), from + perTxn));
      Map<String, LeaseId> leases = new LinkedHashMap<>();
      chunk.forEach(n -> leases.put(n, renewed.get(n)));
      answers.putAll(writtenOrRegranted(leases));
    }
    return answers;
  }

  /**
   * The answer without any write when the node is ready (or draining) and its lease key already
   * sits on {@code lease}: the common beat, which then needs neither the writer's lock nor a
   * transaction. Empty when something must be written.
   */
  private Optional<Beat> steady(String node, KeyValue nodeKv, LeaseId lease) {
    Optional<KeyValue> leaseKv = store.get(leaseKey(node));
    if (leaseKv.isEmpty() || !leaseKv.get().lease().equals(lease)) {
      return Optional.empty();
    }
    String state = registry.decode(ResourceType.NODE, nodeKv).object().path("status").path("state").asText("down");
    return state.equals("ready") || state.equals("draining") ? Optional.of(new Alive(ttl, state)) : Optional.empty();
  }

  /** One transaction for the nodes' lease keys and ready transitions, re-read under the writer. */
  private Map<String, Beat> written(Map<String, LeaseId> nodes) {
    return registry.writer().write(now -> {
      Map<String, Beat> answers = new LinkedHashMap<>();
      List<Txn.Compare> compares = new ArrayList<>();
      List<Txn.Op> ops = new ArrayList<>();
      var events = new ArrayList<io.wharf.server.events.EventDraft>();
      for (Map.Entry<String, LeaseId> e : nodes.entrySet()) {
        String node = e.getKey();
        LeaseId lease = e.getValue();
        String nodeKey = ResourceKeys.key(ResourceType.NODE, null, node);
        String leaseKey = leaseKey(node);
        Optional<KeyValue> current = store.get(nodeKey);
        if (current.isEmpty()) {
          answers.put(node, new NotRegistered(node));
          continue;
        }
        Optional<KeyValue> leaseKv = store.get(leaseKey);
        compares.add(new Txn.Compare(nodeKey, current.get().modRevision()));
        compares.add(new Txn.Compare(leaseKey, leaseKv.map(KeyValue::modRevision).orElse(0L)));
        if (leaseKv.isEmpty() || !leaseKv.get().lease().equals(lease)) {
          ops.add(new Txn.Put(leaseKey, node.getBytes(StandardCharsets.UTF_8), lease));
        }
        StoredObject before = registry.decode(ResourceType.NODE, current.get());
        String state = before.object().path("status").path("state").asText("down");
        if (!state.equals("ready") && !state.equals("draining")) {
          ObjectNode next = before.object().deepCopy();
          ObjectNode status = next.withObjectProperty("status");
          status.put("state", "ready");
          status.put("lastHeartbeat", now.toString());
          ops.add(new Txn.Put(nodeKey, registry.bytes(registry.stamped(next, ResourceRegistry.createdAt(before, now), now))));
          events.add(ResourceRegistry.draft(EventType.Updated, ResourceType.NODE, null, node, "NodeReady",
              "heartbeat after " + state));
          state = "ready";
        }
        answers.put(node, new Alive(ttl, state));
      }
      if (ops.isEmpty()) {
        return new ChangeWriter.Done<>(answers);
      }
      return new ChangeWriter.Commit<>(compares, ops, events, revision -> answers);
    });
  }

  /** Renews (or grants) the leases of {@code nodes}, on up to 64 virtual threads at once. */
  private Map<String, LeaseId> renewAll(List<String> nodes) {
    Map<String, LeaseId> out = new ConcurrentHashMap<>();
    if (nodes.size() <= 1) {
      nodes.forEach(n -> out.put(n, renewedOrGranted(n)));
      return out;
    }
    Semaphore parallel = new Semaphore(64);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (String n : nodes) {
        parallel.acquireUninterruptibly();
        done.add(pool.submit(() -> {
          try {
            out.put(n, renewedOrGranted(n));
          } finally {
            parallel.release();
          }
        }));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while renewing node leases", e);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
      }
    }
    return out;
  }

  private LeaseId renewedOrGranted(String node) {
    LeaseId lease = leases.get(node);
    if (lease != null) {
      try {
        store.keepAlive(lease);
        return lease;
      } catch (LeaseNotFoundException expired) {
        leases.remove(node, lease);
      }
    }
    LeaseId granted = store.grantLease(ttl);
    leases.put(node, granted);
    return granted;
  }
}
