package io.wharf.server.controller.service;

import io.wharf.model.Condition;
import io.wharf.model.Instance;
import io.wharf.model.discovery.Discovery;
import io.wharf.model.Service;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.workload.ServiceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a service's status should say, from its instances. Pure. */
final class ServiceStatuses {
  static final String SCHEDULED = "Scheduled";

  private ServiceStatuses() {}

  /**
   * Ready means running and passing readiness: healthy, or (without a readiness check) running.
   */
  static boolean ready(Instance i) {
    return Discovery.ready(i);
  }

  /** The status with fresh counts and {@code scheduled} (null = leave that condition as it is). */
  static ServiceStatus next(Service s, List<Instance> owned, Condition scheduled, Instant now) {
    int desired = s.spec().placement().global()
        ? (int) owned.stream().filter(i -> !InstanceGroups.isLost(i)).map(i -> i.spec().node()).distinct().count()
        : s.spec().replicas();
    int running = (int) owned.stream().filter(i -> i.status().state() == InstanceState.RUNNING).count();
    int ready = (int) owned.stream().filter(ServiceStatuses::ready).count();
    List<Condition> conditions = new ArrayList<>();
    Condition previous = null;
    for (Condition c : s.status().conditions()) {
      if (c.type().equals(SCHEDULED)) {
        previous = c;
      } else {
        conditions.add(c);
      }
    }
    if (scheduled != null) {
      boolean same = previous != null && previous.status() == scheduled.status()
          && Objects.equals(previous.reason(), scheduled.reason()) && Objects.equals(previous.message(), scheduled.message());
      conditions.add(same ? previous : new Condition(scheduled.type(), scheduled.status(), scheduled.reason(),
          scheduled.message(), previous != null && previous.status() == scheduled.status() ? previous.since() : now));
    } else if (previous != null) {
      conditions.add(previous);
    }
    return new ServiceStatus(desired, running, ready, s.status().observedRevision(), conditions).withRolloutOf(s.status());
  }

  /** Equal in what users read: counts and conditions (the observed revision follows them). */
  static boolean sameCounts(ServiceStatus a, ServiceStatus b) {
    return a.desired() == b.desired() && a.running() == b.running() && a.ready() == b.ready()
        && a.conditions().equals(b.conditions());
  }
}
