package io.wharf.server.controller.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Instance;
import io.wharf.model.Service;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.model.workload.Rollout;
import io.wharf.model.workload.RolloutPhase;
import io.wharf.model.workload.RolloutRecord;
import io.wharf.model.workload.ServiceStatus;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.Txn;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The rollout part of a service controller pass (replicated services): keeps
 * {@code status.rollout} following the service's instance template and says what the pass does.
 * <ul>
 *   <li>a new template (a spec change, {@code rollout restart}, an undo): a new rollout starts
 *       ({@code RolloutStarted}); one still in progress is recorded as superseded; the template to
 *       go back to ({@code stable}) is the last that succeeded;</li>
 *   <li>in progress: {@link RolloutPlanner} decides; the pass stops or starts what it says, and
 *       progress, pause ({@code RolloutPaused}), promotion ({@code RolloutPromoted}), success
 *       ({@code RolloutSucceeded}) and failure ({@code RolloutFailed}) are written to the status.
 *       A failure with {@code autoRollback} and a stable template writes that template back into
 *       the spec in the same transaction ({@code RolloutRolledBack}); that rollback is a rollout
 *       of its own which is never rolled back again.</li>
 * </ul>
 * Every write compares the service revision the pass read (a concurrent change fails it and the
 * pass decides again) and goes through the controllers' fenced writer.
 *
 * <p>Thread safety: safe for many threads; the work queue runs one pass per service at a time.
 */
public final class Rollouts {
  private final ResourceRegistry registry;
  private final InstantSource clock;
  private final ReadySince readySince = new ReadySince();

  public Rollouts(ResourceRegistry registry, InstantSource clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** What the pass does about the rollout. */
  public sealed interface Step {}

  /**
   * No rollout in progress, or nothing for it to move: the pass goes on as usual, and looks again
   * after {@code recheck} (null = when something changes) to judge the new instances' health.
   */
  public record Idle(Duration recheck) implements Step {}

  /** The rollout waits; look again after {@code recheck} (null = when something changes). Skip the count step. */
  public record Hold(Duration recheck) implements Step {}

  /** Stop {@code stop} (old instances), else start {@code start} new ones. Skip the count step. */
  public record Act(int start, List<Instance> stop, Duration recheck) implements Step {
    public Act {
      stop = List.copyOf(stop);
    }
  }

  /** The status (or the spec, for a rollback) was written at {@code revision} (0 = a conflict): look again. */
  public record Wrote(long revision) implements Step {}

  /** The template hash of the service as it is now. */
  public static String hash(Service service) {
    return InstanceTemplate.ofService(service.spec(), service.status()).hash();
  }

  /**
   * The template hash of an instance: its label, or (instances placed before templates were
   * labelled) the service's when the tasks are the same.
   */
  public static String hashOf(Instance i, Service service, String serviceHash) {
    String label = i.metadata().labels().get(InstanceTemplate.LABEL);
    if (label != null) {
      return label;
    }
    return i.spec().tasks().equals(service.spec().tasks()) ? serviceHash : "";
  }

  public void forget(String serviceKey) {
    readySince.forget(serviceKey);
  }

  /** The rollout step for a replicated service with these live instances. */
  public Step step(Service service, List<Instance> live, Predicate<Instance> ready) {
    Instant now = clock.instant();
    String key = service.metadata().namespace() + "/" + service.metadata().name();
    String hash = hash(service);
    ServiceStatus status = service.status();
    Rollout current = status.rollout();
    Map<String, Instant> since = readySince.observe(key, live, ready, now);
    if (current == null || !current.hash().equals(hash)) {
      return started(service, hash, now);
    }
    if (!current.phase().inProgress()) {
      return new Idle(null);
    }
    List<RolloutPlanner.Member> members = new ArrayList<>();
    List<Instance> old = new ArrayList<>();
    for (Instance i : live) {
      boolean isCurrent = hashOf(i, service, hash).equals(hash);
      if (!isCurrent) {
        old.add(i);
      }
      members.add(new RolloutPlanner.Member(i.metadata().name(), isCurrent, since.get(i.metadata().name()),
          i.status().state().terminal(), i.metadata().createdAt()));
    }
    RolloutPlanner.Decision d = RolloutPlanner.plan(new RolloutPlanner.Input(service.spec().update(),
        service.spec().replicas(), current.phase(), current.promoted(), current.startedAt(), current.progressAt(),
        members, now));
    String ns = service.metadata().namespace();
    String name = service.metadata().name();
    switch (d.outcome()) {
      case FAIL -> {
        return failed(service, current, d.message(), now);
      }
      case SUCCEED -> {
        Rollout done = current.withProgress(d.updated(), now).withPhase(RolloutPhase.SUCCEEDED, now, d.message());
        return write(service, done, appended(status.history(), done.record()), status.restartedAt(), null,
            draft(EventType.Updated, ns, name, "RolloutSucceeded", "revision " + done.revision() + " (" + done.hash()
                + "): " + d.message()));
      }
      case PROMOTE -> {
        return write(service, current.withProgress(d.updated(), progressAt(current, d, now)).promoted(d.message()),
            status.history(), status.restartedAt(), null,
            draft(EventType.Updated, ns, name, "RolloutPromoted", d.message()));
      }
      case PAUSE -> {
        if (current.phase() != RolloutPhase.PAUSED) {
          return write(service, current.withProgress(d.updated(), progressAt(current, d, now))
                  .withPhase(RolloutPhase.PAUSED, null, d.message()), status.history(), status.restartedAt(), null,
              draft(EventType.Updated, ns, name, "RolloutPaused", d.message()
                  + " (wharf rollout promote " + name + ")"));
        }
        return new Hold(d.recheck());
      }
      case CONTINUE -> { }
    }
    if (d.updated() != current.updated()) {
      return write(service, current.withProgress(d.updated(), progressAt(current, d, now))
          .withPhase(current.phase(), null, d.message()), status.history(), status.restartedAt(), null, null);
    }
    if (old.isEmpty() && d.start() == 0) {
      return new Idle(d.recheck()); // the count step places what is missing
    }
    if (d.stop().isEmpty() && d.start() == 0) {
      return new Hold(d.recheck());
    }
    List<Instance> stop = old.stream().filter(i -> d.stop().contains(i.metadata().name())).toList();
    return new Act(d.start(), stop, d.recheck());
  }

  private static Instant progressAt(Rollout current, RolloutPlanner.Decision d, Instant now) {
    return d.updated() > current.updated() ? now : current.progressAt();
  }

  private Step started(Service service, String hash, Instant now) {
    ServiceStatus status = service.status();
    Rollout previous = status.rollout();
    List<RolloutRecord> history = status.history();
    InstanceTemplate stable = null;
    if (previous != null) {
      if (previous.phase().inProgress()) {
        Rollout superseded = previous.withPhase(RolloutPhase.SUPERSEDED, now, "a newer spec arrived");
        history = appended(history, superseded.record());
      }
      stable = previous.phase() == RolloutPhase.SUCCEEDED ? previous.template() : previous.stable();
    }
    InstanceTemplate template = InstanceTemplate.ofService(service.spec(), status);
    String why = previous == null ? null : TemplateInputs.why(previous.template(), template);
    Rollout next = new Rollout(service.metadata().revision(), hash, template, stable, RolloutPhase.PROGRESSING, 0,
        false, false, now, now, null, previous == null ? "first rollout"
            : "template changed from " + previous.hash() + (why == null ? "" : ": " + why));
    return write(service, next, history, status.restartedAt(), null, draft(EventType.Updated,
        service.metadata().namespace(), service.metadata().name(), "RolloutStarted",
        "revision " + next.revision() + ": template " + hash + (previous == null ? "" : " replaces " + previous.hash())
            + (why == null ? "" : " (" + why + ")")));
  }

  private Step failed(Service service, Rollout current, String why, Instant now) {
    ServiceStatus status = service.status();
    String ns = service.metadata().namespace();
    String name = service.metadata().name();
    boolean rollBack = service.spec().update().autoRollback() && current.stable() != null && !current.rollback();
    if (!rollBack) {
      Rollout failed = current.withPhase(RolloutPhase.FAILED, now, why);
      return write(service, failed, appended(status.history(), failed.record()), status.restartedAt(), null,
          draft(EventType.Warning, ns, name, "RolloutFailed", "revision " + current.revision() + " (" + current.hash()
              + "): " + why + (current.rollback() ? " (a rollback is not rolled back again)" : "")));
    }
    Rollout rolledBack = current.withPhase(RolloutPhase.ROLLED_BACK, now, why);
    InstanceTemplate back = current.stable();
    Rollout rollback = new Rollout(service.metadata().revision(), back.hash(), back, null, RolloutPhase.PROGRESSING, 0,
        true, true, now, now, null, "rollback of revision " + current.revision() + ": " + why);
    return write(service, rollback, appended(status.history(), rolledBack.record()), back.restartedAt(), back,
        draft(EventType.Warning, ns, name, "RolloutRolledBack", "revision " + current.revision() + " ("
            + current.hash() + ") failed: " + why + "; rolling back to " + back.hash()));
  }

  static List<RolloutRecord> appended(List<RolloutRecord> history, RolloutRecord r) {
    List<RolloutRecord> out = new ArrayList<>(history);
    out.add(r);
    return out;
  }

  private static EventDraft draft(EventType type, String ns, String name, String reason, String message) {
    return ResourceRegistry.draft(type, ResourceType.SERVICE, ns, name, reason, message);
  }

  /**
   * Writes the rollout, history and restart marker into the status (and, with {@code template},
   * that template's tasks and restart policy into the spec), comparing the revision the pass read.
   */
  private Step write(Service service, Rollout rollout, List<RolloutRecord> history, Instant restartedAt,
      InstanceTemplate template, EventDraft event) {
    long revision = RolloutWrites.write(registry, service.metadata().namespace(), service.metadata().name(),
        service.metadata().revision(), rollout, history, restartedAt, template, event);
    return new Wrote(revision);
  }
}
