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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node heartbeats: each node has a store lease with TTL {@code ttl} and a key
 * {@code /wharf/node-leases/{name}} attached to it. A heartbeat renews the lease (or grants a new
 * one when this server has none or the old one expired) and, in the same transaction, marks the
 * node {@code ready} when it was not (event {@code NodeReady}). When the lease expires the store
 * deletes the key; {@link io.wharf.server.controller.node.NodeController} sees that through its
 * watch (also after a server restart, since the key lives in the store) and marks the node down.
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

  public Beat heartbeat(String node) {
    String nodeKey = ResourceKeys.key(ResourceType.NODE, null, node);
    if (store.get(nodeKey).isEmpty()) {
      return new NotRegistered(node);
    }
    LeaseId lease = renewedOrGranted(node);
    String leaseKey = leaseKey(node);
    return registry.writer().write(now -> {
      Optional<KeyValue> current = store.get(nodeKey);
      if (current.isEmpty()) {
        return new ChangeWriter.Done<>(new NotRegistered(node));
      }
      Optional<KeyValue> leaseKv = store.get(leaseKey);
      List<Txn.Compare> compares = new ArrayList<>();
      List<Txn.Op> ops = new ArrayList<>();
      var events = new ArrayList<io.wharf.server.events.EventDraft>();
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
      Alive alive = new Alive(ttl, state);
      if (ops.isEmpty()) {
        return new ChangeWriter.Done<>(alive);
      }
      return new ChangeWriter.Commit<>(compares, ops, events, revision -> alive);
    });
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
