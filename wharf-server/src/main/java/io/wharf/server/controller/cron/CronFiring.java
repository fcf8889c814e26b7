package io.wharf.server.controller.cron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.CronJob;
import io.wharf.model.Job;
import io.wharf.model.Metadata;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.KeyValue;
import io.wharf.store.Txn;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Commits {@link CronPass.Plan}s through a (fenced) {@link ChangeWriter}. One plan is: create
 * if absent the slot's lease key and the new Job, delete the removed jobs (and their lease keys),
 * replace the cron job's status, and append the events. Its compares pin the cron job's revision,
 * every removed job's revision and the absence of the lease and Job keys; the writer adds the
 * leader's fence (the leader key's revision) and the event counter. So a slot is fired at most
 * once whoever tries, and a deposed leader's late firing writes nothing.
 *
 * <p>Plans committed concurrently (many cron jobs due at the same second) are combined: whoever
 * writes next takes every waiting plan that fits one transaction and commits them together, each
 * plan still all-or-nothing (a plan whose reads went stale drops out of the round and is
 * answered {@link Stale}; the others commit). A thousand firings then cost tens of transactions
 * and disk syncs under the server's single writer instead of a thousand.
 *
 * <p>The fencing token handed to the run ({@code WHARF_RUN_ID}) is the cron job's revision the
 * firing compared: every firing changes the cron job, so tokens of one cron job only grow.
 * Thread safety: safe for many threads; rounds are written one at a time under {@code combining}.
 */
public final class CronFiring {
  private final ResourceRegistry registry;
  private final ReentrantLock combining = new ReentrantLock();
  private final ConcurrentLinkedDeque<Waiting> waiting = new ConcurrentLinkedDeque<>();

  public CronFiring(ResourceRegistry registry) {
    this.registry = registry;
  }

  /** What a commit did. */
  public sealed interface Outcome {}

  /** Written at {@code revision}; {@code runId} is the fired run's token, if a slot fired. */
  public record Committed(long revision, Optional<String> runId) implements Outcome {}

  /** The plan was made on state that changed meanwhile (or the slot is already leased): nothing written. */
  public record Stale(String why) implements Outcome {}

  private record Waiting(CronJob cron, CronPass.Plan plan, CompletableFuture<Outcome> done) {}

  /** One plan's share of a transaction. */
  private record Part(List<Txn.Compare> compares, List<Txn.Op> ops, List<EventDraft> events, Optional<String> runId) {}

  public Outcome commit(CronJob cron, CronPass.Plan plan) {
    Waiting mine = new Waiting(cron, plan, new CompletableFuture<>());
    waiting.add(mine);
    combining.lock();
    try {
      while (!mine.done().isDone()) {
        writeRound();
      }
    } finally {
      combining.unlock();
    }
    try {
      return mine.done().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  /** Operations a plan adds to a transaction (puts, deletes and event puts), to fit a round in the store's limit. */
  private static int cost(CronPass.Plan plan) {
    int fire = plan.fire().isPresent() ? 4 : 0; // lease, job, two events
    return 1 + 3 * plan.removals().size() + fire + plan.notes().size();
  }

  /** Takes waiting plans up to one transaction's worth and commits them together. Holds {@code combining}. */
  private void writeRound() {
    int budget = Math.max(1, registry.writer().limits().maxTxnOps() - 2); // the event counter's compare and put
    List<Waiting> round = new ArrayList<>();
    int used = 0;
    Waiting w;
    while ((w = waiting.peekFirst()) != null && (round.isEmpty() || used + cost(w.plan()) <= budget)) {
      waiting.pollFirst();
      round.add(w);
      used += cost(w.plan());
    }
    if (round.isEmpty()) {
      return;
    }
    Map<Waiting, Outcome> outcomes = new HashMap<>();
    try {
      long revision = registry.writer().write(now -> {
        outcomes.clear();
        List<Txn.Compare> compares = new ArrayList<>();
        List<Txn.Op> ops = new ArrayList<>();
        List<EventDraft> events = new ArrayList<>();
        Map<Waiting, Optional<String>> included = new HashMap<>();
        for (Waiting r : round) {
          Object part = part(r.cron(), r.plan(), now);
          if (part instanceof Stale stale) {
            outcomes.put(r, stale);
          } else {
            Part p = (Part) part;
            compares.addAll(p.compares());
            ops.addAll(p.ops());
            events.addAll(p.events());
            included.put(r, p.runId());
          }
        }
        if (included.isEmpty()) {
          return new ChangeWriter.Done<>(0L);
        }
        return new ChangeWriter.Commit<>(compares, ops, events, rev -> {
          included.forEach((r, runId) -> outcomes.put(r, new Committed(rev, runId)));
          return rev;
        });
      });
      for (Waiting r : round) {
        r.done().complete(outcomes.getOrDefault(r, new Stale("not written (revision " + revision + ")")));
      }
    } catch (RuntimeException e) {
      round.forEach(r -> r.done().completeExceptionally(e));
    }
  }

  /** One plan's compares, writes and events on current state, or {@link Stale} when its reads went stale. */
  private Object part(CronJob cron, CronPass.Plan plan, Instant now) {
    String ns = cron.metadata().namespace();
    String name = cron.metadata().name();
    String cronKey = ResourceKeys.key(ResourceType.CRON_JOB, ns, name);
    long cronRevision = cron.metadata().revision();
    Optional<KeyValue> current = registry.store().get(cronKey);
    if (current.isEmpty() || current.get().modRevision() != cronRevision) {
      return new Stale("cron job " + ns + "/" + name + " changed");
    }
    List<Txn.Compare> compares = new ArrayList<>();
    List<Txn.Op> ops = new ArrayList<>();
    List<EventDraft> events = new ArrayList<>();
    compares.add(new Txn.Compare(cronKey, cronRevision));
    for (CronPass.Removal r : plan.removals()) {
      String jobKey = ResourceKeys.key(ResourceType.JOB, ns, r.job().metadata().name());
      long rev = registry.store().get(jobKey).map(KeyValue::modRevision).orElse(0L);
      if (rev != r.job().metadata().revision()) {
        return new Stale("job " + ns + "/" + r.job().metadata().name() + " changed");
      }
      compares.add(new Txn.Compare(jobKey, rev));
      ops.add(new Txn.Delete(jobKey));
      slotOf(r.job()).ifPresent(slot -> ops.add(new Txn.Delete(CronRuns.leaseKey(ns, name, slot))));
      events.add(ResourceRegistry.draft(EventType.Deleted, ResourceType.JOB, ns, r.job().metadata().name(),
          r.reason(), r.reason().equals("Replaced") ? "replaced by the next run of cron job " + name
              : "past the history limit of cron job " + name));
    }
    Optional<String> runId = Optional.empty();
    if (plan.fire().isPresent()) {
      CronPass.Fire fire = plan.fire().get();
      String leaseKey = CronRuns.leaseKey(ns, name, fire.slot().fires());
      String jobKey = ResourceKeys.key(ResourceType.JOB, ns, fire.jobName());
      if (registry.store().get(leaseKey).isPresent() || registry.store().get(jobKey).isPresent()) {
        return new Stale("slot " + fire.slot().id() + " of " + ns + "/" + name + " is already leased");
      }
      runId = Optional.of(Long.toString(cronRevision));
      ObjectNode job = registry.stamped(jobTree(cron, fire.jobName(), fire.slot().fires(), runId.get(),
          Map.of(CronRuns.SLOT_LABEL, CronRuns.slotLabel(fire.slot().fires()))), now, now);
      ObjectNode lease = ResourceCodec.json().createObjectNode()
          .put("job", fire.jobName()).put("slot", fire.slot().id()).put("runId", runId.get())
          .put("firedAt", now.toString());
      compares.add(Txn.Compare.absent(leaseKey));
      compares.add(Txn.Compare.absent(jobKey));
      ops.add(new Txn.Put(leaseKey, registry.bytes(lease)));
      ops.add(new Txn.Put(jobKey, registry.bytes(job)));
      events.add(ResourceRegistry.draft(EventType.Updated, ResourceType.CRON_JOB, ns, name, "CronJobFired",
          "slot " + fire.slot().id() + " (" + fire.slot().nominal() + " " + cron.spec().timeZone() + ") started job "
              + fire.jobName() + ", run id " + runId.get()));
      events.add(ResourceRegistry.draft(EventType.Created, ResourceType.JOB, ns, fire.jobName(), "Created",
          "by cron job " + name));
    }
    for (CronPass.Note note : plan.notes()) {
      events.add(ResourceRegistry.draft(note.type(), ResourceType.CRON_JOB, ns, name, note.reason(), note.message()));
    }
    ObjectNode next = registry.decode(ResourceType.CRON_JOB, current.get()).object().deepCopy();
    next.set("status", ResourceCodec.toTree(cron.withStatus(plan.status())).get("status"));
    Instant created = parse(next.path("metadata").path("createdAt").asText(null), now);
    ops.add(new Txn.Put(cronKey, registry.bytes(registry.stamped(next, created, now))));
    return new Part(compares, ops, events, runId);
  }

  /**
   * The Job a run of {@code cron} is: the cron job's job template, named {@code jobName},
   * labelled with the cron job, every task's environment extended by {@code WHARF_RUN_ID} and
   * {@code WHARF_SLOT}. The stack label is not copied: runs belong to the cron job, not to the
   * stack file (an apply must not prune them).
   */
  public static ObjectNode jobTree(CronJob cron, String jobName, Instant slot, String runId, Map<String, String> extraLabels) {
    Map<String, String> labels = new HashMap<>(extraLabels);
    labels.put(CronRuns.CRONJOB_LABEL, cron.metadata().name());
    Job job = new Job(new Metadata(jobName, cron.metadata().namespace(), labels, 0, null, null), cron.spec().job());
    ObjectNode tree = ResourceCodec.toTree(job);
    tree.remove("status");
    for (JsonNode task : tree.path("spec").path("tasks")) {
      ObjectNode env = ((ObjectNode) task).withObjectProperty("env");
      env.put(CronRuns.RUN_ID_ENV, runId);
      env.put(CronRuns.SLOT_ENV, slot.toString());
    }
    return tree;
  }

  /** The slot a scheduled run was fired for (manual runs have none). */
  static Optional<Instant> slotOf(Job job) {
    String label = job.metadata().labels().get(CronRuns.SLOT_LABEL);
    if (label == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(CronRuns.COMPACT.parse(label)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Instant parse(String text, Instant fallback) {
    try {
      return text == null ? fallback : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
