package io.wharf.server.controller.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Instance;
import io.wharf.model.Node;
import io.wharf.model.Service;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.StoreLimits;
import io.wharf.store.Txn;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Commits one service's placement decision: new instances and the instances they replace (or
 * that are removed), in as few store transactions as the store's limits allow. Each transaction
 * is re-checked against the latest state: the service's revision as the decision read it, the
 * revision of every node it places on, absence of every new key and the revision of every
 * deleted one. Any compare failing means the decision was made on stale state: the rest is not
 * written and the caller looks again (level-triggered), which is the retry on conflict.
 *
 * <p>One event per transaction records it on the service ({@code InstancesPlaced} /
 * {@code InstancesRemoved}), not one per instance, so placing 100,000 instances does not write
 * 100,000 events. Thread safety: stateless; writes go through {@link ChangeWriter}.
 */
final class InstanceWrites {
  /** Headroom kept below the store's op limit for the event counter and the service compare. */
  private static final int RESERVED_OPS = 8;

  private final ResourceRegistry registry;
  private final InstantSource clock;

  InstanceWrites(ResourceRegistry registry, InstantSource clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** An instance to delete, at the revision the decision saw, and why (event text). */
  record Removal(Instance instance, String why) {
    Removal {
      Objects.requireNonNull(instance, "instance");
      Objects.requireNonNull(why, "why");
    }
  }

  /** What was written: the last commit revision (0 if nothing), and whether every part was. */
  record Outcome(long revision, int created, int removed, boolean conflict) {}

  /**
   * Writes {@code creates} and {@code removals} of {@code service}. {@code nodes} holds the
   * nodes as the decision saw them (their revisions are compared).
   */
  Outcome commit(Service service, Map<String, Node> nodes, List<Instance> creates, List<Removal> removals) {
    return commit(service.metadata().namespace(), service.metadata().name(), service.metadata().revision(), nodes,
        creates, removals);
  }

  /** As above for service {@code ns/name} at {@code serviceRevision} (0 = the service is gone: no compare). */
  Outcome commit(String ns, String name, long serviceRevision, Map<String, Node> nodes, List<Instance> creates,
      List<Removal> removals) {
    StoreLimits limits = registry.writer().limits();
    // Worst case an instance costs a put, a compare on its key and one on its node.
    int perTxn = Math.max(1, (limits.maxTxnOps() - RESERVED_OPS) / 3);
    long revision = 0;
    int created = 0;
    int removed = 0;
    List<Object> work = new ArrayList<>(creates.size() + removals.size());
    work.addAll(removals);
    work.addAll(creates);
    List<Object> chunk = new ArrayList<>();
    long chunkBytes = 0;
    long maxBytes = Math.max(1, limits.maxTxnBytes() / 2);
    List<List<Object>> chunks = new ArrayList<>();
    // Each new instance is stamped and encoded once, here (createdAt = the decision's time).
    Instant now = clock.instant();
    Encoder encoder = new Encoder(now);
    List<byte[]> encoded = new ArrayList<>();
    for (Object w : work) {
      byte[] bytes = w instanceof Instance i ? encoder.encode(i) : null;
      encoded.add(bytes);
      int size = bytes == null ? 0 : bytes.length;
      if (!chunk.isEmpty() && (chunk.size() >= perTxn || chunkBytes + size > maxBytes)) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
        chunkBytes = 0;
      }
      chunk.add(w);
      chunkBytes += size + 200;
    }
    if (!chunk.isEmpty()) {
      chunks.add(chunk);
    }
    int index = 0;
    for (List<Object> part : chunks) {
      List<byte[]> partBytes = encoded.subList(index, index + part.size());
      index += part.size();
      Long committed = commitOne(ns, name, serviceRevision, nodes, part, partBytes);
      if (committed == null) {
        return new Outcome(revision, created, removed, true);
      }
      revision = committed;
      for (Object w : part) {
        if (w instanceof Instance) {
          created++;
        } else {
          removed++;
        }
      }
    }
    return new Outcome(revision, created, removed, false);
  }

  /**
   * Encodes new instances as stored (stamped at {@code now}). The instances of one decision share
   * their owner, tasks and restart policy: the first is encoded in full and kept as a tree, the
   * next ones only swap their own fields (name, labels, node, ports) into it before writing it out.
   * Not thread-safe (one decision).
   */
  private final class Encoder {
    private final Instant now;
    private Instance first;
    private ObjectNode template;

    Encoder(Instant now) {
      this.now = now;
    }

    byte[] encode(Instance i) {
      if (template == null || !sharesTemplate(i)) {
        first = i;
        template = registry.stamped(ResourceCodec.toTree(i), now, now);
        return registry.bytes(template);
      }
      ObjectNode metadata = template.withObjectProperty("metadata");
      metadata.put("name", i.metadata().name());
      metadata.set("labels", ResourceCodec.json().valueToTree(i.metadata().labels()));
      ObjectNode spec = template.withObjectProperty("spec");
      spec.put("node", i.spec().node());
      ObjectNode ports = spec.putObject("assignedPorts");
      i.spec().assignedPorts().forEach(ports::put);
      return registry.bytes(template);
    }

    private boolean sharesTemplate(Instance i) {
      return i.spec().tasks() == first.spec().tasks() && i.spec().owner().equals(first.spec().owner())
          && i.spec().ownerRevision() == first.spec().ownerRevision()
          && java.util.Objects.equals(i.spec().restart(), first.spec().restart())
          && java.util.Objects.equals(i.metadata().namespace(), first.metadata().namespace())
          && i.spec().inputs().equals(first.spec().inputs()) && i.status().equals(first.status());
    }
  }

  /** One transaction; null when a compare failed (stale decision). */
  private Long commitOne(String ns, String name, long serviceRevision, Map<String, Node> nodes, List<Object> part,
      List<byte[]> encoded) {
    String serviceKey = ResourceKeys.key(ResourceType.SERVICE, ns, name);
    int[] attempts = {0};
    return registry.writer().write(now -> {
      if (attempts[0]++ > 0) {
        return new ChangeWriter.Done<Long>(null); // a compare failed: the decision is stale
      }
      List<Txn.Compare> compares = new ArrayList<>();
      List<Txn.Op> ops = new ArrayList<>();
      compares.add(serviceRevision == 0 ? Txn.Compare.absent(serviceKey) : new Txn.Compare(serviceKey, serviceRevision));
      Map<String, Long> nodeRevisions = new LinkedHashMap<>();
      int placed = 0;
      int deleted = 0;
      StringBuilder why = new StringBuilder();
      for (int k = 0; k < part.size(); k++) {
        Object w = part.get(k);
        if (w instanceof Instance i) {
          String key = ResourceKeys.key(ResourceType.INSTANCE, ns, i.metadata().name());
          compares.add(Txn.Compare.absent(key));
          Node node = nodes.get(i.spec().node());
          if (node != null) {
            nodeRevisions.put(ResourceKeys.key(ResourceType.NODE, null, node.metadata().name()),
                node.metadata().revision());
          }
          ops.add(new Txn.Put(key, encoded.get(k)));
          placed++;
        } else {
          Removal r = (Removal) w;
          String key = ResourceKeys.key(ResourceType.INSTANCE, ns, r.instance().metadata().name());
          compares.add(new Txn.Compare(key, r.instance().metadata().revision()));
          ops.add(new Txn.Delete(key));
          if (deleted == 0) {
            why.append(r.why());
          }
          deleted++;
        }
      }
      nodeRevisions.forEach((key, rev) -> compares.add(new Txn.Compare(key, rev)));
      List<EventDraft> events = new ArrayList<>();
      if (placed > 0) {
        events.add(ResourceRegistry.draft(EventType.Created, ResourceType.SERVICE, ns, name, "InstancesPlaced",
            "placed " + placed + (placed == 1 ? " instance on " : " instances on ") + nodeRevisions.size()
                + (nodeRevisions.size() == 1 ? " node" : " nodes")));
      }
      if (deleted > 0) {
        events.add(ResourceRegistry.draft(EventType.Deleted, ResourceType.SERVICE, ns, name, "InstancesRemoved",
            "removed " + deleted + (deleted == 1 ? " instance: " : " instances: ") + why));
      }
      return new ChangeWriter.Commit<Long>(compares, ops, events, revision -> revision);
    });
  }
}
