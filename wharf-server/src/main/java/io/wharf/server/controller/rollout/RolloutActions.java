package io.wharf.server.controller.rollout;

import io.wharf.model.Kind;
import io.wharf.model.Service;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.model.workload.Rollout;
import io.wharf.model.workload.RolloutPhase;
import io.wharf.model.workload.RolloutRecord;
import io.wharf.model.workload.UpdateStrategy;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What operators do to a rollout: promote its canaries, undo it (write an earlier template back
 * into the spec), restart every instance (a new restart marker). Each reads the service, decides,
 * and writes with a compare on the revision it read (retried on a race). A "no" is a value
 * ({@link Refused}), which the API maps to its status code. Thread safety: stateless.
 */
public final class RolloutActions {
  private static final int ATTEMPTS = 8;

  private final ResourceRegistry registry;
  private final InstantSource clock;

  public RolloutActions(ResourceRegistry registry, InstantSource clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** The outcome of an action. */
  public sealed interface Outcome {}

  /** Done: the service as written. */
  public record Done(Service service) implements Outcome {}

  /** Refused: {@code kind} says which (no such service, nothing to do, bad argument). */
  public record Refused(Why why, String message) implements Outcome {}

  public enum Why { NOT_FOUND, NOTHING_TO_DO, BAD_REVISION }

  public Optional<Service> read(String ns, String name) {
    Optional<StoredObject> stored = registry.read(ResourceKeys.key(ResourceType.SERVICE, ns, name), ResourceType.SERVICE);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Decoded<?> decoded = ResourceCodec.fromJson(Kind.SERVICE, registry.bytes(stored.get().object()));
    if (!decoded.ok() || !(decoded.value() instanceof Service s)) {
      throw new IllegalStateException("stored service " + ns + "/" + name + " does not decode: " + decoded.problems());
    }
    return Optional.of(s);
  }

  /** Promotes the canaries of a canary rollout in progress. */
  public Outcome promote(String ns, String name) {
    return attempt(ns, name, service -> {
      Rollout r = service.status().rollout();
      if (r == null || !r.hash().equals(Rollouts.hash(service)) || !r.phase().inProgress()) {
        return new Refused(Why.NOTHING_TO_DO, "nothing to promote: service " + ns + "/" + name
            + " has no rollout in progress");
      }
      if (service.spec().update().strategy() != UpdateStrategy.CANARY || r.promoted()) {
        return new Refused(Why.NOTHING_TO_DO, "nothing to promote: the rollout of service " + ns + "/" + name
            + (r.promoted() ? " is already promoted" : " has no canaries"));
      }
      Rollout promoted = r.promoted("promoted by an operator");
      return write(service, promoted, service.status().history(), service.status().restartedAt(), null,
          "RolloutPromoted", "canaries promoted by an operator: the rollout goes on");
    });
  }

  /**
   * Writes an earlier template back: the one of history revision {@code to}, or (empty) the
   * rollout's stable template, else the last succeeded one that differs from the current.
   */
  public Outcome undo(String ns, String name, OptionalLong to) {
    return attempt(ns, name, service -> {
      String current = Rollouts.hash(service);
      Rollout r = service.status().rollout();
      List<RolloutRecord> history = service.status().history();
      InstanceTemplate target = null;
      if (to.isPresent()) {
        Optional<RolloutRecord> found = history.stream().filter(h -> h.revision() == to.getAsLong()).reduce((a, b) -> b);
        if (found.isEmpty()) {
          return new Refused(Why.BAD_REVISION, "no rollout of revision " + to.getAsLong() + " in the history of service "
              + ns + "/" + name + " (revisions: " + String.join(", ", history.stream()
                  .map(h -> Long.toString(h.revision())).distinct().toList()) + ")");
        }
        target = found.get().template();
      } else if (r != null && r.stable() != null && r.phase().inProgress()) {
        target = r.stable();
      } else {
        for (int i = history.size() - 1; i >= 0 && target == null; i--) {
          RolloutRecord h = history.get(i);
          if (h.phase() == RolloutPhase.SUCCEEDED && !h.hash().equals(current)) {
            target = h.template();
          }
        }
      }
      if (target == null) {
        return new Refused(Why.NOTHING_TO_DO, "nothing to undo: service " + ns + "/" + name
            + " has no earlier template to go back to");
      }
      if (target.hash().equals(current)) {
        return new Refused(Why.NOTHING_TO_DO, "nothing to undo: service " + ns + "/" + name + " already runs template "
            + current);
      }
      return write(service, r, history, target.restartedAt(), target, "RolloutUndone",
          "template " + target.hash() + " written back (was " + current + ")");
    });
  }

  /** Replaces every instance by a rollout: a new restart marker changes the template. */
  public Outcome restart(String ns, String name) {
    return attempt(ns, name, service -> write(service, service.status().rollout(), service.status().history(),
        clock.instant(), null, "RolloutRestarted", "restart requested: every instance is replaced by a rollout"));
  }

  private interface Decision {
    Outcome decide(Service service);
  }

  /** A write that lost a race answers null: decide again on fresh state. */
  private Outcome attempt(String ns, String name, Decision decision) {
    for (int i = 0; i < ATTEMPTS; i++) {
      Optional<Service> service = read(ns, name);
      if (service.isEmpty()) {
        return new Refused(Why.NOT_FOUND, "Service \"" + ns + "/" + name + "\" not found");
      }
      Outcome o = decision.decide(service.get());
      if (o != null) {
        return o;
      }
    }
    throw new IllegalStateException("service " + ns + "/" + name + " kept changing; try again");
  }

  private Outcome write(Service service, Rollout rollout, List<RolloutRecord> history, java.time.Instant restartedAt,
      InstanceTemplate template, String reason, String message) {
    String ns = service.metadata().namespace();
    String name = service.metadata().name();
    long revision = RolloutWrites.write(registry, ns, name, service.metadata().revision(), rollout, history, restartedAt,
        template, ResourceRegistry.draft(EventType.Updated, ResourceType.SERVICE, ns, name, reason, message));
    if (revision == 0) {
      return null;
    }
    return new Done(read(ns, name).orElse(service));
  }
}
