package io.wharf.server.controller.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Instance;
import io.wharf.model.Job;
import io.wharf.model.Node;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.workload.JobStatus;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.Txn;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Commits the job controller's decisions, each in transactions that compare the job's revision
 * as the decision read it (and for new instances their nodes' revisions and their keys'
 * absence; for deleted ones their revisions). A failed compare means the decision was made on
 * stale state: the write returns 0 and the controller looks again. Large batches are split to
 * fit the store's limits. Thread safety: stateless; writes go through {@link ChangeWriter}.
 */
final class JobWrites {
  /** Headroom kept below the store's op limit for the job compare, the fence and the event counter. */
  private static final int RESERVED_OPS = 8;

  private final ResourceRegistry registry;
  private final InstantSource clock;

  JobWrites(ResourceRegistry registry, InstantSource clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Writes {@code status} on {@code job} with {@code events}; the commit revision, or 0 when the job changed. */
  long status(Job job, JobStatus status, List<EventDraft> events) {
    String ns = job.metadata().namespace();
    String name = job.metadata().name();
    String key = ResourceKeys.key(ResourceType.JOB, ns, name);
    int[] attempts = {0};
    Long revision = registry.writer().write(now -> {
      if (attempts[0]++ > 0) {
        return new ChangeWriter.Done<Long>(0L);
      }
      var current = registry.read(key, ResourceType.JOB);
      if (current.isEmpty() || current.get().revision() != job.metadata().revision()) {
        return new ChangeWriter.Done<Long>(0L);
      }
      ObjectNode object = current.get().object().deepCopy();
      object.set("status", ResourceCodec.json().valueToTree(status));
      ObjectNode stored = registry.stamped(object, ResourceRegistry.createdAt(current.get(), now), now);
      return new ChangeWriter.Commit<Long>(List.of(new Txn.Compare(key, job.metadata().revision())),
          List.of(new Txn.Put(key, registry.bytes(stored))), events, r -> r);
    });
    return revision;
  }

  /** Creates {@code creates} of {@code job} on {@code nodes} (as the decision saw them); 0 when stale. */
  long create(Job job, Map<String, Node> nodes, List<Instance> creates) {
    String ns = job.metadata().namespace();
    String name = job.metadata().name();
    Instant now = clock.instant();
    long last = 0;
    for (List<Instance> part : chunks(creates, 3)) {
      List<Txn.Compare> compares = new ArrayList<>();
      List<Txn.Op> ops = new ArrayList<>();
      compares.add(new Txn.Compare(ResourceKeys.key(ResourceType.JOB, ns, name), job.metadata().revision()));
      Map<String, Long> nodeRevisions = new LinkedHashMap<>();
      for (Instance i : part) {
        String key = ResourceKeys.key(ResourceType.INSTANCE, ns, i.metadata().name());
        compares.add(Txn.Compare.absent(key));
        Node node = nodes.get(i.spec().node());
        if (node != null) {
          nodeRevisions.put(ResourceKeys.key(ResourceType.NODE, null, node.metadata().name()),
              node.metadata().revision());
        }
        ops.add(new Txn.Put(key, registry.bytes(registry.stamped(ResourceCodec.toTree(i), now, now))));
      }
      nodeRevisions.forEach((k, rev) -> compares.add(new Txn.Compare(k, rev)));
      EventDraft event = ResourceRegistry.draft(EventType.Created, ResourceType.JOB, ns, name, "InstancesPlaced",
          "run " + JobSteps.runOf(part.getFirst()) + ": started " + part.size()
              + (part.size() == 1 ? " instance on " : " instances on ") + nodeRevisions.size()
              + (nodeRevisions.size() == 1 ? " node" : " nodes"));
      long committed = commit(compares, ops, List.of(event));
      if (committed == 0) {
        return 0;
      }
      last = committed;
    }
    return last;
  }

  /** Deletes {@code instances} of job {@code ns/name} (at {@code jobRevision}; 0 = the job is gone); 0 when stale. */
  long remove(String ns, String name, long jobRevision, List<Instance> instances, String why) {
    long last = 0;
    for (List<Instance> part : chunks(instances, 2)) {
      List<Txn.Compare> compares = new ArrayList<>();
      List<Txn.Op> ops = new ArrayList<>();
      String jobKey = ResourceKeys.key(ResourceType.JOB, ns, name);
      compares.add(jobRevision == 0 ? Txn.Compare.absent(jobKey) : new Txn.Compare(jobKey, jobRevision));
      addDeletes(part, compares, ops);
      EventDraft event = ResourceRegistry.draft(EventType.Deleted, ResourceType.JOB, ns, name, "InstancesRemoved",
          "removed " + part.size() + (part.size() == 1 ? " instance: " : " instances: ") + why);
      long committed = commit(compares, ops, List.of(event));
      if (committed == 0) {
        return 0;
      }
      last = committed;
    }
    return last;
  }

  /**
   * Deletes the job and its instances (its run finished more than its TTL ago): instances first
   * in as many transactions as needed, the job with the last; 0 when stale.
   */
  long expire(Job job, List<Instance> instances) {
    String ns = job.metadata().namespace();
    String name = job.metadata().name();
    String jobKey = ResourceKeys.key(ResourceType.JOB, ns, name);
    List<List<Instance>> parts = chunks(instances, 2);
    if (parts.isEmpty()) {
      parts = List.of(List.of());
    }
    long last = 0;
    for (int k = 0; k < parts.size(); k++) {
      List<Txn.Compare> compares = new ArrayList<>();
      List<Txn.Op> ops = new ArrayList<>();
      compares.add(new Txn.Compare(jobKey, job.metadata().revision()));
      addDeletes(parts.get(k), compares, ops);
      List<EventDraft> events = new ArrayList<>();
      if (k == parts.size() - 1) {
        ops.add(new Txn.Delete(jobKey));
        events.add(ResourceRegistry.draft(EventType.Deleted, ResourceType.JOB, ns, name, "Expired",
            "run " + job.status().run() + " " + job.status().phase().wire() + " at " + job.status().completedAt()
                + "; ttlAfterFinished passed: deleted with its instances"));
      } else {
        events.add(ResourceRegistry.draft(EventType.Deleted, ResourceType.JOB, ns, name, "InstancesRemoved",
            "removed " + parts.get(k).size() + " instances: ttlAfterFinished passed"));
      }
      long committed = commit(compares, ops, events);
      if (committed == 0) {
        return 0;
      }
      last = committed;
    }
    return last;
  }

  private static void addDeletes(List<Instance> part, List<Txn.Compare> compares, List<Txn.Op> ops) {
    for (Instance i : part) {
      String key = ResourceKeys.key(ResourceType.INSTANCE, i.metadata().namespace(), i.metadata().name());
      compares.add(new Txn.Compare(key, i.metadata().revision()));
      ops.add(new Txn.Delete(key));
    }
  }

  private <T> List<List<T>> chunks(List<T> all, int opsEach) {
    int perTxn = Math.max(1, (registry.writer().limits().maxTxnOps() - RESERVED_OPS) / opsEach);
    List<List<T>> out = new ArrayList<>();
    for (int from = 0; from < all.size(); from += perTxn) {
      out.add(all.subList(from, Math.min(all.size(), from + perTxn)));
    }
    return out;
  }

  /** One transaction; its revision, or 0 when a compare failed. */
  private long commit(List<Txn.Compare> compares, List<Txn.Op> ops, List<EventDraft> events) {
    int[] attempts = {0};
    return registry.writer().write(now -> {
      if (attempts[0]++ > 0) {
        return new ChangeWriter.Done<Long>(0L);
      }
      return new ChangeWriter.Commit<Long>(compares, ops, events, r -> r);
    });
  }
}
