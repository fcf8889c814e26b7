package io.wharf.server.controller.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Node;
import io.wharf.model.cluster.NodeState;
import io.wharf.server.controller.ClusterCache;
import io.wharf.server.controller.Reconciler;
import io.wharf.server.events.EventType;
import io.wharf.server.nodes.NodeLiveness;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.Txn;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles one node (key = its name): a node that says {@code ready} while its liveness lease
 * key is absent (the lease expired, or the node registered but never beat) becomes {@code down},
 * with a {@code NodeDown} event. The write compares the node's revision and the key's absence,
 * so a heartbeat that lands meanwhile wins. Thread safety: stateless.
 */
public final class NodeController implements Reconciler {
  private final ClusterCache cache;
  private final ResourceRegistry registry;

  public NodeController(ClusterCache cache, ResourceRegistry registry) {
    this.cache = cache;
    this.registry = registry;
  }

  @Override
  public Result reconcile(String name) throws InterruptedException {
    Optional<Node> node = cache.node(name);
    if (node.isEmpty() || node.get().status().state() != NodeState.READY || cache.leasePresent(name)) {
      return DONE;
    }
    long revision = node.get().metadata().revision();
    String key = ResourceKeys.key(ResourceType.NODE, null, name);
    String leaseKey = NodeLiveness.leaseKey(name);
    boolean written = registry.writer().write(now -> {
      Optional<StoredObject> current = registry.read(key, ResourceType.NODE);
      if (current.isEmpty() || current.get().revision() != revision || registry.store().get(leaseKey).isPresent()) {
        return new ChangeWriter.Done<>(false);
      }
      ObjectNode next = current.get().object().deepCopy();
      next.withObjectProperty("status").put("state", NodeState.DOWN.wire());
      ObjectNode stored = registry.stamped(next, ResourceRegistry.createdAt(current.get(), now), now);
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, revision), Txn.Compare.absent(leaseKey)),
          List.of(new Txn.Put(key, registry.bytes(stored))),
          List.of(ResourceRegistry.draft(EventType.Warning, ResourceType.NODE, null, name, "NodeDown",
              "no heartbeat within the lease TTL")),
          r -> true);
    });
    cache.awaitCurrent(Duration.ofSeconds(10));
    return written ? DONE : new RequeueAfter(Duration.ZERO);
  }
}
